package io.gobstopper.tasks.boot.web;

import io.gobstopper.tasks.BulkRetryResult;
import io.gobstopper.tasks.TaskDescriptor;
import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskNotFoundException;
import io.gobstopper.tasks.TaskPage;
import io.gobstopper.tasks.TaskQueue;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TaskStats;
import io.gobstopper.tasks.TasksDisabledException;
import io.gobstopper.tasks.boot.json.TaskJsonView;
import io.gobstopper.tasks.engine.DisabledTaskQueue;
import io.gobstopper.tasks.engine.TaskEngineSettings;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The REST API, served under {@code gobstopper.tasks.web.base-path}. Bodies are read and checked here field by
 * field, so a bad request is answered with a problem that names the field; errors are rendered by
 * {@link TasksProblemResolver}.
 */
@RestController
public class TasksController {

    private static final Set<String> SUBMIT_FIELDS =
            new LinkedHashSet<>(List.of("name", "category", "priority", "maxRetries", "args", "kwargs"));

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
    ResponseEntity<ObjectNode> submit(HttpServletRequest request) {
        TaskQueue tasks = queue();
        ObjectNode body = bodies.read(request, true, SUBMIT_FIELDS);
        String name = RequestFields.text(body, "name", true);
        TaskDescriptor task = tasks.describe(name).filter(TaskDescriptor::exposed).orElse(null);
        if (task == null) {
            if (tasks.describe(name).isPresent()) {
                throw new ApiException(HttpStatus.FORBIDDEN, "Task '" + name + "' cannot be submitted over HTTP: "
                        + "its declaration must opt in with @BackgroundTask(exposed = true)");
            }
            throw new ApiException(HttpStatus.NOT_FOUND, "No task named '" + name + "' can be submitted over HTTP. "
                    + exposedTasks(tasks));
        }
        TaskRequest.Builder submit = TaskRequest.builder(name)
                .category(RequestFields.text(body, "category", false))
                .priority(RequestFields.priority(body));
        Integer maxRetries = RequestFields.wholeNumber(body, "maxRetries", 0, 100, false);
        if (maxRetries != null) {
            submit.maxRetries(maxRetries);
        }
        JsonNode args = RequestFields.array(body, "args");
        if (args != null && !args.isNull()) {
            List<Object> values = new ArrayList<>(args.size());
            args.forEach(values::add);
            submit.args(values);
        }
        JsonNode kwargs = RequestFields.object(body, "kwargs");
        if (kwargs != null && !kwargs.isNull()) {
            Map<String, Object> values = new LinkedHashMap<>();
            kwargs.properties().forEach(entry -> values.put(entry.getKey(), entry.getValue()));
            submit.kwargs(values);
        }
        UUID id = tasks.submit(submit.build());
        TaskInfo submitted = tasks.get(id).orElseThrow(() -> new TaskNotFoundException(id));
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .location(URI.create(request.getContextPath() + basePath + "/" + id))
                .body(view.task(submitted));
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
        TaskFilter filter = new TaskFilter(category, RequestFields.status(status), name,
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
        TaskStats stats = queue().stats();
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("total", stats.total());
        ObjectNode byStatus = node.putObject("byStatus");
        stats.byStatus().forEach((status, count) -> byStatus.put(status.name(), count));
        ObjectNode byCategory = node.putObject("byCategory");
        stats.byCategory().forEach(byCategory::put);
        node.put("running", stats.running());
        node.put("queued", stats.queued());
        node.set("queues", view.queues(stats.queues()));
        stats.registeredTasks().forEach(node.putArray("registeredTasks")::add);
        return node;
    }

    @PostMapping("/{id}/cancel")
    ObjectNode cancel(@PathVariable String id) {
        TaskQueue tasks = queue();
        return view.task(tasks.cancel(RequestFields.taskId(id)));
    }

    @PostMapping("/{id}/retry")
    ResponseEntity<ObjectNode> retry(@PathVariable String id) {
        TaskQueue tasks = queue();
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(view.task(tasks.retry(RequestFields.taskId(id))));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String id) {
        TaskQueue tasks = queue();
        tasks.delete(RequestFields.taskId(id));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/bulk-retry")
    ObjectNode bulkRetry(HttpServletRequest request) {
        TaskQueue tasks = queue();
        ObjectNode body = bodies.read(request, false, Set.of("category"));
        BulkRetryResult result = tasks.retryFailed(RequestFields.text(body, "category", false));
        return JsonNodeFactory.instance.objectNode()
                .put("retried", result.retried())
                .put("totalFailed", result.totalFailed());
    }

    @PostMapping("/cleanup")
    ObjectNode cleanup(HttpServletRequest request) {
        TaskQueue tasks = queue();
        ObjectNode body = bodies.read(request, true, Set.of("olderThan"));
        Duration olderThan = RequestFields.duration(body, "olderThan");
        return JsonNodeFactory.instance.objectNode().put("deleted", tasks.cleanup(olderThan));
    }

    @PutMapping("/categories/{category}/workers")
    ObjectNode resize(@PathVariable String category, HttpServletRequest request) {
        TaskQueue tasks = queue();
        ObjectNode body = bodies.read(request, true, Set.of("workers"));
        int workers = RequestFields.wholeNumber(body, "workers", 0, TaskEngineSettings.MAX_WORKERS, true);
        return JsonNodeFactory.instance.objectNode()
                .put("category", category)
                .put("workers", tasks.resizeWorkers(category, workers));
    }

    /** The queue, or a 503 naming the property to set when the task system is switched off. */
    private TaskQueue queue() {
        if (!queue.isEnabled()) {
            throw new TasksDisabledException(queue instanceof DisabledTaskQueue disabled
                    ? disabled.message()
                    : "The task system is switched off. Set gobstopper.tasks.enabled=true to switch it on.");
        }
        return queue;
    }
}
