package io.gobstopper.tasks.boot.web;

import io.gobstopper.tasks.ArchiveResult;
import io.gobstopper.tasks.BulkRetryResult;
import io.gobstopper.tasks.DisabledTaskQueue;
import io.gobstopper.tasks.ExportFormat;
import io.gobstopper.tasks.Submission;
import io.gobstopper.tasks.TaskDescriptor;
import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskLimits;
import io.gobstopper.tasks.TaskNotFoundException;
import io.gobstopper.tasks.TaskPage;
import io.gobstopper.tasks.TaskPriority;
import io.gobstopper.tasks.TaskQueue;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TasksDisabledException;
import io.gobstopper.tasks.boot.json.TaskJsonView;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The REST API, served under {@code gobstopper.tasks.web.base-path}. Bodies are read and checked here field by
 * field, so a bad request is answered with a problem that names the field; errors are rendered by
 * {@link TasksProblemResolver}.
 */
@RestController
public class TasksController {

    private static final Set<String> SUBMIT_FIELDS = new LinkedHashSet<>(List.of(
            "name",
            "category",
            "priority",
            "maxRetries",
            "args",
            "kwargs",
            "delay",
            "runAt",
            "dependsOn",
            "uniqueKey",
            "timeout"));

    /** The most tasks one batch may hold. */
    static final int MAX_BATCH = 1000;

    private final TaskQueue queue;
    private final TaskJsonView view;
    private final JsonBodyReader bodies;
    private final String basePath;

    /**
     * @param queue the task queue (a switched-off one answers 503 everywhere)
     * @param view renders tasks
     * @param basePath where the API is served, for {@code Location} headers
     * @param maxBodyBytes the largest request body accepted
     */
    public TasksController(TaskQueue queue, TaskJsonView view, String basePath, long maxBodyBytes) {
        this.queue = queue;
        this.view = view;
        this.bodies = new JsonBodyReader(maxBodyBytes);
        this.basePath = basePath;
    }

    @PostMapping
    @ManagementOperation(value = "submit tasks", whileReadOnly = true)
    ResponseEntity<ObjectNode> submit(HttpServletRequest request) {
        TaskQueue tasks = queue();
        ObjectNode body = bodies.read(request, true, SUBMIT_FIELDS);
        Submission submission = tasks.offer(taskRequest(tasks, RequestFields.of(body), ""));
        return submitted(tasks, submission.id(), submission.created(), request);
    }

    /**
     * The answer to a submit: 202 with the new task and its {@code Location}; or, when an unfinished task held the
     * unique key and nothing new was accepted, 200 with that task.
     */
    private ResponseEntity<ObjectNode> submitted(
            TaskQueue tasks, UUID id, boolean created, HttpServletRequest request) {
        ObjectNode task = view.task(tasks.get(id).orElseThrow(() -> new TaskNotFoundException(id)));
        URI location = URI.create(request.getContextPath() + basePath + "/" + id);
        if (!created) {
            return ResponseEntity.ok()
                    .header(HttpHeaders.CONTENT_LOCATION, location.toString())
                    .body(task);
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(location).body(task);
    }

    @PostMapping("/batch")
    @ManagementOperation(value = "submit tasks", whileReadOnly = true)
    ResponseEntity<ObjectNode> submitBatch(HttpServletRequest request) {
        TaskQueue tasks = queue();
        ObjectNode body = bodies.read(request, true, Set.of("tasks"));
        JsonNode items = RequestFields.of(body).array("tasks", "submit requests");
        if (items == null || items.isEmpty() || items.size() > MAX_BATCH) {
            throw ApiException.badRequest("Field 'tasks' must hold 1 to " + MAX_BATCH + " submit requests ({name, "
                    + "args, ...} as for POST " + basePath + "), got " + (items == null ? "none" : items.size()));
        }
        List<TaskRequest> requests = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            String item = "tasks[" + i + "]";
            if (!(items.get(i) instanceof ObjectNode object)) {
                throw ApiException.badRequest("Item '" + item + "' must be a JSON object ({name, args, ...}), got "
                        + items.get(i).getNodeType().name().toLowerCase());
            }
            RequestFields fields = RequestFields.of(object, item);
            fields.onlyFields(SUBMIT_FIELDS);
            requests.add(taskRequest(tasks, fields, item + ": "));
        }
        List<UUID> ids = tasks.submitAll(requests);
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        ArrayNode taskIds = answer.putArray("taskIds");
        ids.forEach(id -> taskIds.add(id.toString()));
        answer.put("total", ids.size());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(answer);
    }

    /**
     * Reads one submit request: the task must exist and be exposed to HTTP, and every field must be valid.
     *
     * @param where how refusals name the request ({@code "tasks[2]: "} in a batch), or empty
     */
    private TaskRequest taskRequest(TaskQueue tasks, RequestFields fields, String where) {
        String name = fields.text("name", true);
        TaskDescriptor task =
                tasks.describe(name).filter(TaskDescriptor::exposed).orElse(null);
        if (task == null) {
            if (tasks.describe(name).isPresent()) {
                throw new ApiException(
                        HttpStatus.FORBIDDEN,
                        where + "Task '" + name + "' cannot be submitted over "
                                + "HTTP: its declaration must opt in with @BackgroundTask(exposed = true)");
            }
            throw new ApiException(
                    HttpStatus.NOT_FOUND,
                    where + "No task named '" + name + "' can be submitted over " + "HTTP. " + exposedTasks(tasks));
        }
        String category = fields.text("category", false);
        TaskPriority priority = fields.priority();
        Integer maxRetries = fields.wholeNumber("maxRetries", 0, TaskLimits.MAX_RETRIES, false);
        List<Object> args = new ArrayList<>();
        JsonNode argsField = fields.array("args", "positional arguments");
        if (argsField != null) {
            argsField.forEach(args::add);
        }
        Map<String, Object> kwargs = new LinkedHashMap<>();
        JsonNode kwargsField = fields.object("kwargs", "named arguments");
        if (kwargsField != null) {
            kwargsField.properties().forEach(entry -> kwargs.put(entry.getKey(), entry.getValue()));
        }
        Duration delay = fields.duration("delay", false, false);
        Instant runAt = fields.instant("runAt");
        if (delay != null && runAt != null) {
            throw ApiException.badRequest("Fields '" + fields.name("delay") + "' and '" + fields.name("runAt")
                    + "' cannot be used together: give a delay (\"PT5S\") or a start time, not both");
        }
        List<UUID> dependsOn = fields.taskIds("dependsOn");
        String uniqueKey = fields.text("uniqueKey", false);
        if (uniqueKey != null && uniqueKey.length() > TaskLimits.MAX_UNIQUE_KEY_LENGTH) {
            throw ApiException.badRequest("Field '" + fields.name("uniqueKey") + "' must be at most "
                    + TaskLimits.MAX_UNIQUE_KEY_LENGTH + " characters, got " + uniqueKey.length());
        }
        Duration timeout = fields.duration("timeout", false, true);
        return new TaskRequest(
                name, args, kwargs, category, priority, maxRetries, delay, runAt, dependsOn, uniqueKey, timeout);
    }

    private static String exposedTasks(TaskQueue tasks) {
        List<String> exposed = tasks.registeredTasks().stream()
                .filter(TaskDescriptor::exposed)
                .map(TaskDescriptor::name)
                .toList();
        return exposed.isEmpty()
                ? "No task is exposed to HTTP: annotate one with @BackgroundTask(exposed = true)"
                : "Tasks that can be: " + String.join(", ", exposed);
    }

    @GetMapping("/{id}")
    ObjectNode get(@PathVariable String id) {
        UUID taskId = RequestFields.taskId(id);
        return view.task(queue().get(taskId).orElseThrow(() -> new TaskNotFoundException(taskId)));
    }

    @GetMapping
    ObjectNode list(
            @RequestParam(required = false) String category,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String name,
            @RequestParam(required = false) String limit,
            @RequestParam(required = false) String offset) {
        TaskQueue tasks = queue();
        TaskFilter filter = new TaskFilter(
                category,
                RequestFields.status(status),
                name,
                RequestFields.queryInt(limit, "limit", TaskFilter.DEFAULT_LIMIT, 1, TaskFilter.MAX_LIMIT),
                RequestFields.queryInt(offset, "offset", 0, 0, Integer.MAX_VALUE));
        TaskPage page = tasks.list(filter);
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.set("tasks", view.tasks(page.tasks()));
        node.put("count", page.tasks().size());
        node.put("total", page.total());
        node.put("limit", page.limit());
        node.put("offset", page.offset());
        return node;
    }

    @GetMapping("/stats")
    ObjectNode stats() {
        return view.stats(queue().stats());
    }

    @GetMapping("/unrunnable")
    ArrayNode unrunnable() {
        return view.unrunnable(queue().unrunnable());
    }

    @ManagementOperation("fail unrunnable tasks")
    @PostMapping("/unrunnable/{name}/fail")
    ObjectNode failUnrunnable(@PathVariable String name) {
        TaskQueue tasks = queue();
        return JsonNodeFactory.instance.objectNode().put("name", name).put("failed", tasks.failUnrunnable(name));
    }

    @ManagementOperation("delete unrunnable tasks")
    @DeleteMapping("/unrunnable/{name}")
    ObjectNode deleteUnrunnable(@PathVariable String name) {
        TaskQueue tasks = queue();
        return JsonNodeFactory.instance.objectNode().put("name", name).put("deleted", tasks.deleteUnrunnable(name));
    }

    @ManagementOperation("cancel a task")
    @PostMapping("/{id}/cancel")
    ObjectNode cancel(@PathVariable String id) {
        TaskQueue tasks = queue();
        return view.task(tasks.cancel(RequestFields.taskId(id)));
    }

    @ManagementOperation("retry a task")
    @PostMapping("/{id}/retry")
    ResponseEntity<ObjectNode> retry(@PathVariable String id) {
        TaskQueue tasks = queue();
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(view.task(tasks.retry(RequestFields.taskId(id))));
    }

    @ManagementOperation("delete a task")
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String id) {
        TaskQueue tasks = queue();
        tasks.delete(RequestFields.taskId(id));
        return ResponseEntity.noContent().build();
    }

    @ManagementOperation("retry failed tasks")
    @PostMapping("/bulk-retry")
    ObjectNode bulkRetry(HttpServletRequest request) {
        TaskQueue tasks = queue();
        ObjectNode body = bodies.read(request, false, Set.of("category"));
        BulkRetryResult result = tasks.retryFailed(RequestFields.of(body).text("category", false));
        return JsonNodeFactory.instance
                .objectNode()
                .put("retried", result.retried())
                .put("totalFailed", result.totalFailed());
    }

    @ManagementOperation("clean up tasks")
    @PostMapping("/cleanup")
    ObjectNode cleanup(HttpServletRequest request) {
        TaskQueue tasks = queue();
        ObjectNode body = bodies.read(request, true, Set.of("olderThan"));
        Duration olderThan = RequestFields.of(body).duration("olderThan", true, false);
        return JsonNodeFactory.instance.objectNode().put("deleted", tasks.cleanup(olderThan));
    }

    @GetMapping("/analytics")
    ObjectNode analytics(
            @RequestParam(required = false) String since,
            @RequestParam(required = false) String groupBy,
            @RequestParam(required = false) String includeArchive) {
        TaskQueue tasks = queue();
        return view.analytics(tasks.analytics(
                RequestFields.since(since),
                RequestFields.groupBy(groupBy),
                RequestFields.queryBoolean(includeArchive, "includeArchive")));
    }

    @ManagementOperation("archive tasks")
    @PostMapping("/archive")
    ObjectNode archive(HttpServletRequest request) {
        TaskQueue tasks = queue();
        ObjectNode body = bodies.read(request, true, Set.of("olderThan"));
        Duration olderThan = RequestFields.of(body).duration("olderThan", true, false);
        ArchiveResult result = tasks.archive(olderThan);
        ObjectNode answer = JsonNodeFactory.instance.objectNode().put("archived", result.archived());
        ArrayNode files = answer.putArray("files");
        result.files().forEach(files::add);
        return answer;
    }

    /**
     * The tasks a listing filter selects, newest first, as a file download. The headers are set when the first bytes
     * are written, so a failure before then is answered as a problem.
     */
    @GetMapping("/export")
    void export(
            @RequestParam(required = false) String format,
            @RequestParam(required = false) String category,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String name,
            HttpServletResponse response)
            throws IOException {
        TaskQueue tasks = queue();
        ExportFormat exportFormat = RequestFields.exportFormat(format);
        TaskFilter filter = new TaskFilter(category, RequestFields.status(status), name, TaskFilter.DEFAULT_LIMIT, 0);
        DownloadStream out = new DownloadStream(response, exportFormat);
        tasks.export(filter, exportFormat, out);
        out.flush();
    }

    /** Sets a download's headers just before its first bytes go out. */
    private static final class DownloadStream extends OutputStream {

        private final HttpServletResponse response;
        private final ExportFormat format;
        private OutputStream out;

        DownloadStream(HttpServletResponse response, ExportFormat format) {
            this.response = response;
            this.format = format;
        }

        private OutputStream out() throws IOException {
            if (out == null) {
                response.setStatus(HttpStatus.OK.value());
                response.setContentType(format.contentType());
                response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=tasks." + format.extension());
                out = response.getOutputStream();
            }
            return out;
        }

        @Override
        public void write(int b) throws IOException {
            out().write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out().write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            out().flush();
        }
    }

    @ManagementOperation("resize a category's workers")
    @PutMapping("/categories/{category}/workers")
    ObjectNode resize(@PathVariable String category, HttpServletRequest request) {
        TaskQueue tasks = queue();
        ObjectNode body = bodies.read(request, true, Set.of("workers"));
        int workers = RequestFields.of(body).wholeNumber("workers", 0, TaskLimits.MAX_WORKERS, true);
        return JsonNodeFactory.instance
                .objectNode()
                .put("category", category)
                .put("workers", tasks.resizeWorkers(category, workers));
    }

    @GetMapping("/nodes")
    ArrayNode nodes() {
        return view.nodes(queue().nodes());
    }

    @GetMapping("/schedules")
    ArrayNode schedules() {
        return view.schedules(queue().schedules());
    }

    @ManagementOperation("pause a schedule")
    @PostMapping("/schedules/{name}/pause")
    ObjectNode pauseSchedule(@PathVariable String name) {
        return view.schedule(queue().pauseSchedule(name));
    }

    @ManagementOperation("resume a schedule")
    @PostMapping("/schedules/{name}/resume")
    ObjectNode resumeSchedule(@PathVariable String name) {
        return view.schedule(queue().resumeSchedule(name));
    }

    @ManagementOperation("trigger a schedule")
    @PostMapping("/schedules/{name}/trigger")
    ResponseEntity<ObjectNode> triggerSchedule(@PathVariable String name, HttpServletRequest request) {
        TaskQueue tasks = queue();
        return submitted(tasks, tasks.triggerSchedule(name), true, request);
    }

    /** The queue, or a 503 naming the property to set when the task system is switched off. */
    private TaskQueue queue() {
        return enabled(queue);
    }

    /** The queue if it is switched on; otherwise a 503 that names the property to set. */
    static TaskQueue enabled(TaskQueue queue) {
        if (!queue.isEnabled()) {
            throw new TasksDisabledException(
                    queue instanceof DisabledTaskQueue disabled
                            ? disabled.message()
                            : "The task system is switched off. Set gobstopper.tasks.enabled=true to switch it on.");
        }
        return queue;
    }
}
