package io.gobstopper.tasks.engine;

/**
 * The queue of a switched-off task system.
 *
 * @deprecated moved to the public API: use {@link io.gobstopper.tasks.DisabledTaskQueue}
 */
@Deprecated
public final class DisabledTaskQueue extends io.gobstopper.tasks.DisabledTaskQueue {

    /** @param hint how to switch the task system on, e.g. {@code "Set gobstopper.tasks.enabled=true"} */
    public DisabledTaskQueue(String hint) {
        super(hint);
    }
}
