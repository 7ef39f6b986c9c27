package io.gobstopper.tasks.store;

import io.gobstopper.tasks.NodeInfo;
import io.gobstopper.tasks.TaskInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A store that several instances share. Its {@link #open} returns no tasks to queue and it tells nobody of inserts to
 * queue them: each instance {@linkplain #claim claims} due tasks for its free workers, and hears through the
 * {@link SharedStoreSignals} when to look. Held to {@code SharedTaskStoreContract} besides the {@link TaskStore}
 * contract.
 *
 * <p>What such a store does not do in this release, and the engine therefore does not apply across instances: a
 * category's queue capacity (a submit is never refused), priority aging (instances claim the highest priority first,
 * and aging orders only what an instance has claimed), and rate limits, which hold per instance.
 */
public interface SharedTaskStore extends TaskStore {

    /** How often the instances look for work besides being told of it, and sweep. */
    Duration pollInterval();

    /** Connects the store to the engine of this instance; called before {@link #open}. */
    void attach(SharedStoreSignals signals);

    /**
     * Claims up to {@code max} due tasks of a category, whatever their name.
     *
     * @deprecated an instance claims only the tasks it can run: use {@link #claim(Map, Collection, Instant)}
     */
    @Deprecated
    default List<LiveTask> claim(String category, int max, Instant now) {
        return claim(Map.of(category, max), null, now);
    }

    /**
     * Claims due tasks of several categories at once, whatever their name.
     *
     * @deprecated an instance claims only the tasks it can run: use {@link #claim(Map, Collection, Instant)}
     */
    @Deprecated
    default List<LiveTask> claim(Map<String, Integer> wanted, Instant now) {
        return claim(wanted, null, now);
    }

    /**
     * Claims due tasks of several categories for this instance, with one guarded statement for all of them, so no
     * two instances claim one task: per category up to its number, highest priority first and oldest first within a
     * priority, ready PENDING and RETRY tasks whose parents have all succeeded, and whose name this instance runs.
     * Tasks under other names are passed over, not claimed: they wait for an instance that knows them, and the tasks
     * behind them are claimed meanwhile. The tasks come back waiting for a {@link TaskChange.Start}; a lease that this
     * store renews while they run keeps them this instance's.
     *
     * @param wanted the most tasks to claim, by category
     * @param runnableNames the task names (and aliases) registered in this instance; {@code null} for any name
     * @return the tasks claimed, highest priority first and oldest first within a priority
     */
    List<LiveTask> claim(Map<String, Integer> wanted, Collection<String> runnableNames, Instant now);

    /**
     * Per task name, how many tasks wait in the store (PENDING or RETRY, not claimed) under a name that is not among
     * {@code runnableNames}: tasks this instance never claims. Names without such tasks are left out.
     */
    Map<String, Long> waitingOutside(Collection<String> runnableNames);

    /**
     * Fails, without a run, every task that waits in the store (PENDING or RETRY, not claimed by any instance) under
     * this name: FAILED, with {@code error}, ended at {@code now}. Dependants waiting for them are cancelled by the
     * next {@link #sweep}.
     *
     * @return the tasks as they ended
     */
    List<TaskInfo> failWaiting(String name, String error, Instant now);

    /**
     * Deletes every task that waits in the store (PENDING or RETRY, not claimed by any instance) under this name.
     *
     * @return how many were deleted
     */
    int deleteWaiting(String name);

    /**
     * Gives back claimed tasks that never started (they waited here while this instance's workers were busy): they
     * wait in the store again, for any instance, without an attempt counted. Tasks that are no longer this instance's,
     * or that started or ended meanwhile, are left as they are.
     */
    void unclaim(List<LiveTask> tasks);

    /**
     * Housekeeping, run by every instance every poll interval: takes back the tasks of instances whose lease expired,
     * and cancels the tasks that wait for a parent that failed or was cancelled.
     */
    void sweep(Instant now);

    /**
     * Per category, the tasks that wait for a worker (ready: due, their parents succeeded), and when the one that has
     * waited longest became due; categories without such a task are left out.
     */
    Map<String, Waiting> waiting(Instant now);

    /**
     * As {@link #waiting(Instant)}, of the tasks whose name is among {@code runnableNames}: the tasks this instance
     * claims, leaving out those that wait for an instance that knows their name.
     */
    Map<String, Waiting> waiting(Instant now, Collection<String> runnableNames);

    /**
     * When the soonest task that waits for its due time (delayed, or in RETRY) becomes due, or empty when none waits:
     * so that an instance looks for work then, also for tasks another instance or an earlier process submitted.
     */
    Optional<Instant> nextDue(Instant now);

    /** The instances working on the store, this one first. */
    List<NodeInfo> nodes();

    /**
     * The tasks of a category that wait for a worker.
     *
     * @param count how many
     * @param oldestDue when the one that has waited longest became due
     */
    record Waiting(long count, Instant oldestDue) {}
}
