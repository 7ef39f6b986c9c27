package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.TaskStats;
import io.gobstopper.tasks.UnrunnableTasks;
import io.gobstopper.tasks.store.LiveTask;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How tasks reach the workers, chosen once for the store: a store of one instance hands the engine its tasks, which
 * wait in memory ({@link LocalDispatch}); the instances of a shared store claim due tasks from it
 * ({@link ClaimingDispatch}). The engine tells the dispatch of each step of a task's life; each dispatch does what
 * that step means for it.
 */
interface Dispatch {

    /**
     * Starts dispatching.
     *
     * @param recovered the unfinished tasks the store handed back when it opened, oldest first
     */
    void start(List<LiveTask> recovered);

    /** Stops looking for work; the timers stop with the engine's scheduler. */
    void stop();

    /**
     * Reserves what a new task needs before it is stored: room in its category, its place among the tasks waiting
     * for their parents.
     *
     * @param parents its parents that are unfinished and held in memory
     * @throws io.gobstopper.tasks.QueueFullException if its category holds its queue capacity already
     */
    void reserve(LiveTask task, List<LiveTask> parents);

    /** Reserves room for a task the engine stores by itself (a recurring run), whatever the capacity. */
    void reserveScheduled(LiveTask task);

    /** Undoes {@link #reserve} for tasks that were not stored after all. */
    void unreserve(List<LiveTask> tasks);

    /** New tasks are stored: they run once due (and once their parents succeeded). */
    void accepted(List<LiveTask> tasks);

    /** Ended tasks were put back to PENDING by hand: unfinished again, and waiting for their parents again. */
    void requeued(List<LiveTask> tasks);

    /** A run failed and its task is in RETRY: it runs again after the delay. */
    void retryLater(LiveTask task, Duration delay);

    /** A task ended: its room in the category is free, and the tasks waiting for it are released or cancelled. */
    void ended(LiveTask task);

    /** A worker is done with a task, however its run went: the worker is free. */
    void workerFree(LiveTask task);

    /**
     * A worker took a task whose name is not registered here (a store that ignored the names this instance runs):
     * it waits again, for an instance that knows it.
     */
    void cannotRun(LiveTask task);

    /** The stored tasks that wait under names not registered here, by name, read from memory. */
    List<UnrunnableTasks> unrunnable();

    /**
     * Ends the tasks that wait under a name not registered here: FAILED without a run, with {@code error}, or
     * deleted.
     *
     * @return how many were ended
     */
    int endUnrunnable(String name, String error, boolean delete);

    /** Each category's queue: what waits for a worker, as this dispatch knows it, and the workers' figures. */
    Map<String, TaskStats.QueueStats> queues();
}
