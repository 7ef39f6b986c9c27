package io.gobstopper.tasks.store;

import io.gobstopper.tasks.TaskPriority;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A capability of a store of one instance: it keeps a backlog of due tasks in its table only, so that the engine's
 * memory holds a bounded window of each category's queue whatever the backlog. The engine holds at most
 * {@link #window()} due tasks per category and priority; a due task beyond that, or one that arrives while older
 * tasks of its category and priority are in the backlog, is {@linkplain #spill spilled}, and the engine reads the
 * backlog back {@linkplain #page in order} as its window runs low. A spilled task is still the store's: {@link
 * TaskStore#tracked}, cancel, find and the counts see it as any unfinished task.
 */
public interface TaskBacklog {

    /** The most due tasks per category and priority that the engine holds in memory; more wait in the store. */
    int window();

    /**
     * How many due tasks of the category and priority wait in the backlog, counting those of a page read back until
     * the engine {@linkplain #held holds} them.
     */
    long spilled(String category, TaskPriority priority);

    /** How many due tasks wait in the backlog, per category with any. */
    Map<String, Long> spilledByCategory();

    /**
     * The engine does not hold these due tasks: they wait in the backlog, in the order of their priority and creation,
     * and the store stops holding them in memory once their rows are stored.
     */
    void spill(List<LiveTask> tasks);

    /**
     * Reads back the oldest of the backlog's tasks of a category and priority, oldest first, for the engine to queue.
     * They leave the backlog (a cancel decided meanwhile is seen: a task cancelled in the store is not read back).
     *
     * @param max how many at most
     * @return completes with the tasks, on a thread of the store's (keep what is chained on it quick)
     */
    CompletableFuture<List<LiveTask>> page(String category, TaskPriority priority, int max);

    /** The engine now holds {@code count} tasks of a page it was given: they no longer count as in the backlog. */
    void held(String category, TaskPriority priority, int count);
}
