package io.gobstopper.tasks.event;

/** The life-cycle changes the engine reports. */
public enum TaskEventType {
    /** The task was stored and queued. */
    SUBMITTED,
    /** A worker started a run. */
    STARTED,
    /** The running task reported progress. */
    PROGRESS,
    /** The run returned normally; the task is SUCCESS. */
    SUCCEEDED,
    /** The run failed with no retries left; the task is FAILED. */
    FAILED,
    /** The run failed and the task waits out its backoff in RETRY. */
    RETRY,
    /** The task was cancelled. */
    CANCELLED
}
