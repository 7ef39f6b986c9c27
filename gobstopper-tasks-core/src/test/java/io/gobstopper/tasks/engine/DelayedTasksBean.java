package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.TaskContext;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** The task the delayed-start tests submit: it records which task ran and when its body started. */
public class DelayedTasksBean {

    /** One run: the task's id and the instant its method was entered. */
    public record Start(UUID taskId, Instant at) {}

    private final List<Start> starts = new CopyOnWriteArrayList<>();

    /** Records its start; returns its label. */
    @BackgroundTask(name = "delayed_stamp")
    public String stamp(String label, TaskContext ctx) {
        starts.add(new Start(ctx.taskId(), Instant.now()));
        return label;
    }

    /** The runs of this task, in the order they started. */
    public List<Start> starts(UUID taskId) {
        return starts.stream().filter(start -> start.taskId().equals(taskId)).toList();
    }

    /** Every run so far. */
    public List<Start> starts() {
        return List.copyOf(starts);
    }
}
