package io.gobstopper.tasks.store;

import io.gobstopper.tasks.event.TaskEventType;
import java.time.Instant;

/**
 * A change of a task's state that the engine asks a store for ({@link TaskStore#apply}). Each applies only from the
 * statuses it names, so a store that applies it to its {@link LiveTask} under the task's lock, and stores it only if it
 * applied, lets exactly one of two racing changes win.
 */
public sealed interface TaskChange {

    /** What listeners hear when the change applied, or {@code null} for a change they are not told of. */
    TaskEventType event();

    /** PENDING or RETRY to STARTED: a worker starts a run. */
    record Start(Instant at) implements TaskChange {
        @Override
        public TaskEventType event() {
            return TaskEventType.STARTED;
        }
    }

    /** A STARTED task reports progress, 0 to 100, with an optional message. */
    record Progress(int percent, String message) implements TaskChange {
        @Override
        public TaskEventType event() {
            return TaskEventType.PROGRESS;
        }
    }

    /**
     * STARTED to SUCCESS with the result as JSON ({@code null} for none), unless a cancel was requested meanwhile: then
     * the run is to be stopped ({@link Stop}).
     */
    record Succeed(String result, Instant at) implements TaskChange {
        @Override
        public TaskEventType event() {
            return TaskEventType.SUCCEEDED;
        }
    }

    /**
     * STARTED to FAILED, or to RETRY due at {@code retryAt} when that is not {@code null}, unless a cancel was
     * requested meanwhile (as {@link Succeed}).
     */
    record Fail(String error, Instant at, Instant retryAt) implements TaskChange {
        @Override
        public TaskEventType event() {
            return retryAt == null ? TaskEventType.FAILED : TaskEventType.RETRY;
        }
    }

    /** PENDING or RETRY to FAILED without a run, for a task that cannot run (its name is not registered). */
    record Reject(String error, Instant at) implements TaskChange {
        @Override
        public TaskEventType event() {
            return TaskEventType.FAILED;
        }
    }

    /** STARTED back to PENDING, for a run cut off by shutdown: it runs again, without counting an attempt. */
    record Release() implements TaskChange {
        @Override
        public TaskEventType event() {
            return null;
        }
    }

    /**
     * PENDING or RETRY to CANCELLED; {@code reason} goes to the task's error ({@code null} when a user cancelled it).
     */
    record Cancel(String reason, Instant at) implements TaskChange {
        @Override
        public TaskEventType event() {
            return TaskEventType.CANCELLED;
        }
    }

    /** STARTED to CANCELLED, for a run that stopped after a cancel request. */
    record Stop(String reason, Instant at) implements TaskChange {
        @Override
        public TaskEventType event() {
            return TaskEventType.CANCELLED;
        }
    }

    /** Whether a change is a run's outcome, which a cancel requested meanwhile turns away. */
    static boolean isOutcome(TaskChange change) {
        return change instanceof Succeed || change instanceof Fail;
    }
}
