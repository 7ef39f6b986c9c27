package io.gobstopper.tasks.store;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.event.TaskEventType;
import java.time.Instant;
import java.util.UUID;

/** What a store shared by several instances tells the engine of this instance. Calls must return quickly. */
public interface SharedStoreSignals {

    /** Tasks may be waiting to be claimed: one was submitted, retried, released, or taken back from a dead instance. */
    void workAvailable();

    /**
     * A task becomes due at this time (submitted delayed, or waiting for its retry, by another instance): look for
     * work then.
     */
    default void workDueAt(Instant due) {}

    /** A cancel was asked for, on another instance, of a task this instance holds (running, or claimed). */
    void cancelRequested(UUID id);

    /**
     * The lease of a task this instance runs was taken over by another instance (this one was silent too long): the
     * run here should stop; nothing it records counts any more.
     */
    void leaseLost(UUID id);

    /** Whether anyone here wants to hear of other instances' changes; when not, the store does not read them. */
    boolean wantsRemoteEvents();

    /** A life-cycle change made by another instance (or by the store's own housekeeping). */
    void remoteEvent(TaskEventType type, TaskInfo task);
}
