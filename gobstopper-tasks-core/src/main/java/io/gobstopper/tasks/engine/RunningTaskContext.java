package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.TaskContext;
import io.gobstopper.tasks.store.LiveTask;
import java.util.UUID;

/** The {@link TaskContext} of one run. */
final class RunningTaskContext implements TaskContext {

    /** Longest progress message kept; longer ones are cut. */
    static final int MAX_MESSAGE = 1000;

    private final LiveTask task;
    private final int attempt;
    private final TaskEngine engine;

    RunningTaskContext(LiveTask task, int attempt, TaskEngine engine) {
        this.task = task;
        this.attempt = attempt;
        this.engine = engine;
    }

    @Override
    public UUID taskId() {
        return task.id();
    }

    @Override
    public String taskName() {
        return task.name();
    }

    @Override
    public String category() {
        return task.category();
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public void reportProgress(int percent, String message) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("progress must be between 0 and 100, got " + percent);
        }
        String kept = message != null && message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
        engine.progress(task, percent, kept);
    }
}
