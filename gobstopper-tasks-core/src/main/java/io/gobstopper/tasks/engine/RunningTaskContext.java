package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.TaskContext;
import io.gobstopper.tasks.store.LiveTask;
import java.util.UUID;

/**
 * The {@link TaskContext} of one run, and the run's controls: a cancel request or the timeout interrupts the worker
 * thread, but only while this run is in progress, so the interrupt can never hit the worker's next task.
 */
final class RunningTaskContext implements TaskContext {

    /** Longest progress message kept; longer ones are cut. */
    static final int MAX_MESSAGE = 1000;

    private final LiveTask task;
    private final int attempt;
    private final TaskRunner runner;
    private final Thread worker;
    private boolean finished;
    private boolean abandoned;
    private volatile boolean timedOut;

    RunningTaskContext(LiveTask task, int attempt, TaskRunner runner, Thread worker) {
        this.task = task;
        this.attempt = attempt;
        this.runner = runner;
        this.worker = worker;
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
        return task.cancelRequested();
    }

    @Override
    public void reportProgress(int percent, String message) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("progress must be between 0 and 100, got " + percent);
        }
        String kept = message != null && message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
        runner.progress(task, percent, kept);
    }

    /** Interrupts the run if it is still in progress. */
    synchronized void interrupt() {
        if (!finished) {
            worker.interrupt();
        }
    }

    /** The run took too long: it is interrupted, and its outcome counts as a timeout. */
    void timeOut() {
        timedOut = true;
        interrupt();
    }

    boolean timedOut() {
        return timedOut;
    }

    /** The method returned or threw: no interrupt may reach the worker from now on. */
    synchronized void finish() {
        finished = true;
    }

    /**
     * Gives up on a run that does not stop: from now on its outcome is not this run's to record.
     *
     * @return whether the run was still in progress (and is now abandoned)
     */
    synchronized boolean abandon() {
        if (finished) {
            return false;
        }
        abandoned = true;
        finished = true;
        return true;
    }

    /** Whether the run was abandoned; read by the worker once the method has returned. */
    synchronized boolean abandoned() {
        return abandoned;
    }

    Thread worker() {
        return worker;
    }
}
