package io.gobstopper.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Tasks that run one after another: each starts only once the one before it succeeded, and ends CANCELLED when
 * the one before fails or is cancelled. Start one with {@link TaskQueue#chain(TaskRequest)}; nothing is stored
 * until {@link #submit()}, which stores the whole chain or nothing.
 */
public final class TaskChain {

    private final TaskQueue queue;
    private final List<TaskRequest> requests = new ArrayList<>();

    TaskChain(TaskQueue queue, TaskRequest first) {
        this.queue = queue;
        requests.add(Objects.requireNonNull(first, "the chain's first request must not be null"));
    }

    /** Adds a task that runs after the previous one succeeded. */
    public TaskChain then(TaskRequest next) {
        requests.add(Objects.requireNonNull(next, "a chained request must not be null"));
        return this;
    }

    /** Adds a task with positional arguments that runs after the previous one succeeded. */
    public TaskChain then(String name, Object... args) {
        return then(TaskRequest.of(name, args));
    }

    /**
     * Stores the chain atomically.
     *
     * @return the tasks' ids, in chain order
     * @throws BatchItemException naming the first request that was refused; nothing was stored
     */
    public List<UUID> submit() {
        return queue.submitChain(List.copyOf(requests));
    }
}
