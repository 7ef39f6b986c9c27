package io.gobstopper.tasks.event;

/**
 * Receives the engine's life-cycle events, on the thread that caused them (a worker, a submitter). Keep it
 * quick; an exception it throws is logged and does not affect the task.
 */
@FunctionalInterface
public interface TaskListener {

    /** Called once per life-cycle change. */
    void onEvent(TaskEvent event);
}
