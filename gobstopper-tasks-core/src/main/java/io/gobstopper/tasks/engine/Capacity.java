package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.QueueFullException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

/** Counts each category's unfinished tasks (PENDING, RETRY, STARTED), and refuses new ones past its queue capacity. */
final class Capacity {

    /** What a refused client is told to wait. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final Map<String, AtomicInteger> unfinished = new ConcurrentHashMap<>();
    private final ToIntFunction<String> capacityOf;

    /** @param capacityOf a category's capacity; 0 for no limit */
    Capacity(ToIntFunction<String> capacityOf) {
        this.capacityOf = capacityOf;
    }

    /**
     * Takes room for {@code count} new tasks.
     *
     * @throws QueueFullException if they do not fit
     */
    void acquire(String category, int count) {
        int capacity = capacityOf.applyAsInt(category);
        AtomicInteger counter = counter(category);
        if (capacity == 0) {
            counter.addAndGet(count);
            return;
        }
        while (true) {
            int now = counter.get();
            if (now + count > capacity) {
                throw new QueueFullException(category, capacity, RETRY_AFTER);
            }
            if (counter.compareAndSet(now, now + count)) {
                return;
            }
        }
    }

    /** Counts tasks that are unfinished whatever the capacity: recovered at start, or retried by hand. */
    void add(String category, int count) {
        counter(category).addAndGet(count);
    }

    /** A task of the category ended, or was not stored after all. */
    void release(String category) {
        counter(category).decrementAndGet();
    }

    int unfinished(String category) {
        AtomicInteger counter = unfinished.get(category);
        return counter == null ? 0 : counter.get();
    }

    private AtomicInteger counter(String category) {
        return unfinished.computeIfAbsent(category, name -> new AtomicInteger());
    }
}
