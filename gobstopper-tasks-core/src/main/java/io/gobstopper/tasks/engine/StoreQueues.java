package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.store.LiveTask;
import io.gobstopper.tasks.store.SharedTaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The tasks that wait for a worker in a store shared by several instances, per category: read from the store every
 * poll interval, and kept up to date in between with what this instance does itself (its submits and its claims). So
 * the queue figures of a shared store count the whole cluster's waiting tasks without a query per look. They are as
 * of the last read: a submit racing a read can be counted twice, or not at all, until the next read a poll interval
 * later, and other instances' work shows at the next read.
 */
final class StoreQueues {

    private static final SharedTaskStore.Waiting NONE = new SharedTaskStore.Waiting(0, null);

    private final Map<String, SharedTaskStore.Waiting> waiting = new HashMap<>();

    /** The store's figures, as just read. */
    synchronized void refresh(Map<String, SharedTaskStore.Waiting> read) {
        waiting.clear();
        waiting.putAll(read);
    }

    private static SharedTaskStore.Waiting sum(SharedTaskStore.Waiting a, SharedTaskStore.Waiting b) {
        Instant oldest =
                a.oldestDue() == null || (b.oldestDue() != null && b.oldestDue().isBefore(a.oldestDue()))
                        ? b.oldestDue()
                        : a.oldestDue();
        return new SharedTaskStore.Waiting(a.count() + b.count(), oldest);
    }

    /** This instance stored a task: it waits for a worker if it is due and waits for no parent. */
    synchronized void submitted(LiveTask task, Instant now) {
        Instant due = task.runAt() == null ? task.createdAt() : task.runAt();
        if (!task.dependsOn().isEmpty() || due.isAfter(now)) {
            return;
        }
        waiting.merge(task.category(), new SharedTaskStore.Waiting(1, due), StoreQueues::sum);
    }

    /**
     * This instance claimed tasks of a category.
     *
     * @param exhausted whether the claim took fewer than it asked for: then none waits any more
     */
    synchronized void claimed(String category, int count, boolean exhausted) {
        SharedTaskStore.Waiting before = waiting.get(category);
        if (before == null) {
            return;
        }
        long left = exhausted ? 0 : Math.max(0, before.count() - count);
        if (left == 0) {
            waiting.remove(category);
        } else {
            waiting.put(category, new SharedTaskStore.Waiting(left, before.oldestDue()));
        }
    }

    /** How many tasks of the category wait in the store. */
    synchronized long count(String category) {
        return waiting.getOrDefault(category, NONE).count();
    }

    /** How long the task of the category that has waited longest has waited; zero when none waits. */
    synchronized Duration oldestWait(String category, Instant now) {
        Instant oldest = waiting.getOrDefault(category, NONE).oldestDue();
        return oldest == null || oldest.isAfter(now) ? Duration.ZERO : Duration.between(oldest, now);
    }

    /** The categories with waiting tasks. */
    synchronized Set<String> categories() {
        return Set.copyOf(waiting.keySet());
    }
}
