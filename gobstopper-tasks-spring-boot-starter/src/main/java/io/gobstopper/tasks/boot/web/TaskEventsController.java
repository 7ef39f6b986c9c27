package io.gobstopper.tasks.boot.web;

import io.gobstopper.tasks.TaskQueue;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET {base-path}/events}: the tasks' life-cycle changes and the stats as Server-Sent Events.
 *
 * <p>Spring MVC's {@link SseEmitter} rather than a hand-written async servlet: the REST API already is Spring MVC,
 * so the stream shares its base path, its problem answers for bad filters, and the application's security filter
 * chain and MVC configuration. The emitter is written to from {@link TaskEventBroadcaster}'s own sender threads,
 * never from the engine's.
 */
@RestController
public class TaskEventsController {

    private final TaskQueue queue;
    private final TaskEventBroadcaster broadcaster;

    public TaskEventsController(TaskQueue queue, TaskEventBroadcaster broadcaster) {
        this.queue = queue;
        this.broadcaster = broadcaster;
    }

    @GetMapping("/events")
    SseEmitter events(
            @RequestParam(name = "category", required = false) List<String> categories,
            @RequestParam(name = "taskId", required = false) List<String> taskIds,
            HttpServletRequest request) {
        TasksController.enabled(queue);
        EventFilter filter = EventFilter.of(categories, taskIds);
        return broadcaster.connect(filter, "from " + request.getRemoteAddr() + " (" + filter + ")");
    }
}
