package io.gobstopper.tasks.event;

/**
 * Receives the engine's life-cycle events, on the thread that caused them (a worker, a submitter). Keep it
 * quick; an exception it throws is logged and does not affect the task.
 */
@FunctionalInterface
public interface TaskListener {

    /** Called once per life-cycle change this instance made. */
    void onEvent(TaskEvent event);

    /**
     * Called once per life-cycle change another instance made, on a store shared by several instances, on the
     * thread that receives the store's notifications. Does nothing unless overridden: a listener that counts this
     * instance's work (metrics) ignores them, one that shows the whole system (a live view) takes them too.
     */
    default void onRemoteEvent(TaskEvent event) {}

    /**
     * Whether {@link #onRemoteEvent} wants events now; reading other instances' changes costs the store a query, so
     * a listener says no while nobody watches.
     */
    default boolean wantsRemoteEvents() {
        return false;
    }
}
