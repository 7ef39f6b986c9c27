package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.store.LiveTask;
import io.gobstopper.tasks.store.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The tasks that wait for a worker in a store shared by several instances, per category: read from the store every
 * poll interval, and kept up to date in between with what this instance does itself (its submits and its claims). So
 * the queue figures of a shared store count the whole cluster's waiting tasks without a query per look, and are never
 * older than a poll interval.
 */
final class StoreQueues {

    private static final TaskStore.Waiting NONE = new TaskStore.Waiting(0, null);

    private final Map<String, TaskStore.Waiting> waiting = new HashMap<>();
    /**
     * While the store is being read: this instance's submits made meanwhile, which the read may not see. Claims never
     * overlap a read (the claimer makes both), so only submits can.
     */
    private Map<String, TaskStore.Waiting> submittedDuringRead;

    /** The store is about to be read. */
    synchronized void reading() {
        submittedDuringRead = new HashMap<>();
    }

    /** The store's figures, as just read, with this instance's submits made while it was read. */
    synchronized void refresh(Map<String, TaskStore.Waiting> read) {
        waiting.clear();
        waiting.putAll(read);
        if (submittedDuringRead != null) {
            submittedDuringRead.forEach((category, submitted) -> waiting.merge(category, submitted, StoreQueues::sum));
            submittedDuringRead = null;
        }
    }

    private static TaskStore.Waiting sum(TaskStore.Waiting a, TaskStore.Waiting b) {
        Instant oldest = a.oldestDue() == null || (b.oldestDue() != null && b.oldestDue().isBefore(a.oldestDue()))
                ? b.oldestDue() : a.oldestDue();
        return new TaskStore.Waiting(a.count() + b.count(), oldest);
    }

    /** This instance stored a task: it waits for a worker if it is due and waits for no parent. */
    synchronized void submitted(LiveTask task, Instant now) {
        Instant due = task.runAt() == null ? task.createdAt() : task.runAt();
        if (!task.dependsOn().isEmpty() || due.isAfter(now)) {
            return;
        }
        TaskStore.Waiting one = new TaskStore.Waiting(1, due);
        waiting.merge(task.category(), one, StoreQueues::sum);
        if (submittedDuringRead != null) {
            submittedDuringRead.merge(task.category(), one, StoreQueues::sum);
        }
    }

    /**
     * This instance claimed tasks of a category.
     *
     * @param exhausted whether the claim took fewer than it asked for: then none waits any more
     */
    synchronized void claimed(String category, int count, boolean exhausted) {
        TaskStore.Waiting before = waiting.get(category);
        if (before == null) {
            return;
        }
        long left = exhausted ? 0 : Math.max(0, before.count() - count);
        if (left == 0) {
            waiting.remove(category);
        } else {
            waiting.put(category, new TaskStore.Waiting(left, before.oldestDue()));
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
