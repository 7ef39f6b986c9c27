package io.gobstopper.tasks;

import java.util.UUID;

/**
 * Given to a running task when its method declares a parameter of this type: who it is, which attempt this
 * is, and a way to report progress.
 */
public interface TaskContext {

    /** The task's id. */
    UUID taskId();

    /** The task's registered name. */
    String taskName();

    /** The category whose worker runs the task. */
    String category();

    /** Which run this is: 1 for the first, 2 for the first retry, and so on. */
    int attempt();

    /**
     * Reports progress. Reading the task shows it at once; the store receives it soon after (frequent updates
     * are coalesced, the last one wins).
     *
     * @param percent 0 to 100
     * @param message what the task is doing, or {@code null}
     * @throws IllegalArgumentException if {@code percent} is outside 0-100
     */
    void reportProgress(int percent, String message);

    /**
     * Whether someone asked to cancel this run. The thread is interrupted as well; a task that checks this between
     * steps and returns (or throws) ends CANCELLED.
     */
    boolean isCancelled();

    /** Reports progress without a message. */
    default void reportProgress(int percent) {
        reportProgress(percent, null);
    }
}
