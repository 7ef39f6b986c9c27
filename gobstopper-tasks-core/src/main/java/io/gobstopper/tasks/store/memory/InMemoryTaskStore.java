package io.gobstopper.tasks.store.memory;

import io.gobstopper.tasks.ExportFormat;
import io.gobstopper.tasks.TaskAnalytics;
import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskPage;
import io.gobstopper.tasks.TaskQueueUnavailableException;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.store.LiveTask;
import io.gobstopper.tasks.store.Refusals;
import io.gobstopper.tasks.store.TaskChange;
import io.gobstopper.tasks.store.TaskExport;
import io.gobstopper.tasks.store.TaskStore;
import io.gobstopper.tasks.store.UniqueKeyTakenException;
import io.gobstopper.tasks.store.support.TextExport;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A store that keeps every task in memory, for an application's tests and for examples: nothing is written to a file
 * or a database, and nothing survives the JVM. It has no threads of its own: every call does its work on the caller's
 * thread, a change is stored when {@link #apply} returns, and {@code committed} hears of new tasks before
 * {@link #insert} returns.
 *
 * <p>It keeps every task, ended ones included, until it is deleted or cleaned up ({@link #deleteCompletedBefore},
 * which the engine's retention runs): an engine that runs on it for long needs a retention, or memory fills up.
 *
 * <p>Its data outlives {@link #close()}, as a file outlives the process that wrote it, so opening the same instance
 * again is a restart: the tasks left STARTED come back PENDING with the cut-off attempt counted, as after a crash.
 *
 * <p>It is not shared by several instances (not a {@link io.gobstopper.tasks.store.SharedTaskStore}), does not
 * archive (not a {@link io.gobstopper.tasks.store.TaskArchive}: there is nowhere to archive to), and exports CSV and
 * JSON but not Parquet.
 */
public final class InMemoryTaskStore implements TaskStore, TaskExport {

    /** Retry, bulk retry, delete and cleanup replace or remove ended tasks: one at a time, so none is lost. */
    private final Object replacing = new Object();

    /** Kept across close and open, as the tasks are. */
    private final Schedules schedules = new Schedules();

    /** The tasks as the last {@link #close()} left them, for the next {@link #open}; guarded by this store. */
    private Map<UUID, TaskInfo> closed = Map.of();

    /** The tasks while open; {@code null} while closed. */
    private volatile OpenTasks open;

    /** An empty store, to be {@linkplain #open opened}. */
    public InMemoryTaskStore() {}

    @Override
    public String kind() {
        return "memory";
    }

    @Override
    public String location() {
        return "memory";
    }

    /**
     * Opens the store on the tasks the last {@link #close()} left: those left STARTED by a run that never ended come
     * back PENDING with the attempt counted, and the unfinished tasks hold their unique keys again.
     */
    @Override
    public synchronized List<LiveTask> open(Instant now, Consumer<List<LiveTask>> committed) {
        if (open != null) {
            throw new IllegalStateException("The in-memory task store is already open");
        }
        OpenTasks tasks = new OpenTasks(committed);
        List<TaskInfo> waiting = new ArrayList<>();
        for (TaskInfo stored : closed.values()) {
            TaskInfo info = stored.status() == TaskStatus.STARTED ? interrupted(stored) : stored;
            LiveTask task = LiveTask.of(info);
            tasks.byId().put(task.id(), task);
            if (!info.status().isCompleted()) {
                tasks.keys().claim(task);
            }
            if (info.status() == TaskStatus.PENDING || info.status() == TaskStatus.RETRY) {
                waiting.add(info);
            }
        }
        waiting.sort(TaskOrder.OLDEST_FIRST);
        closed = Map.of();
        open = tasks;
        return waiting.stream().map(info -> tasks.byId().get(info.id())).toList();
    }

    /** Keeps the tasks as they are now for the next {@link #open}; changes after this are lost, as in a crash. */
    @Override
    public synchronized void close() {
        OpenTasks closing = open;
        if (closing == null) {
            return;
        }
        open = null;
        Map<UUID, TaskInfo> kept = new LinkedHashMap<>();
        closing.byId().values().forEach(task -> kept.put(task.id(), task.snapshot()));
        closed = kept;
    }

    private OpenTasks tasks() {
        OpenTasks tasks = open;
        if (tasks == null) {
            throw new TaskQueueUnavailableException("The in-memory task store is not open");
        }
        return tasks;
    }

    // ---- transitions ----

    /**
     * Stores the tasks, claiming their unique keys, and tells {@code committed} on this thread. A key held by another
     * unfinished task refuses the whole call (atomic or not), as a unique index would.
     */
    @Override
    public CompletableFuture<Void> insert(List<LiveTask> tasks, boolean atomic) {
        OpenTasks store = tasks();
        List<String> taken = new ArrayList<>();
        for (LiveTask task : tasks) {
            if (store.keys().claim(task) != null) {
                taken.add(task.uniqueKey());
            }
        }
        if (!taken.isEmpty()) {
            tasks.forEach(store.keys()::release);
            return CompletableFuture.failedFuture(new UniqueKeyTakenException(taken));
        }
        tasks.forEach(task -> store.byId().put(task.id(), task));
        store.committed().accept(List.copyOf(tasks));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Optional<TaskInfo> claimUniqueKey(LiveTask task) {
        LiveTask holder = tasks().keys().claim(task);
        return holder == null ? Optional.empty() : Optional.of(holder.snapshot());
    }

    @Override
    public void releaseUniqueKey(LiveTask task) {
        OpenTasks store = open;
        if (store != null) { // a closed store holds no keys: they are claimed again at open
            store.keys().release(task);
        }
    }

    /** The task, unfinished or ended, or {@code null} (also while closed). */
    @Override
    public LiveTask tracked(UUID id) {
        OpenTasks store = open;
        return store == null ? null : store.byId().get(id);
    }

    /** Applies the change to the task; after {@link #close()} it is lost, as a write cut off by a crash. */
    @Override
    public boolean apply(LiveTask task, TaskChange change) {
        if (!task.apply(change)) {
            return false;
        }
        if (task.status().isCompleted()) {
            releaseUniqueKey(task); // a unique key binds unfinished tasks only
        }
        return true;
    }

    @Override
    public TaskInfo cancel(UUID id, Instant now) {
        LiveTask task = tasks().require(id);
        TaskInfo asked;
        boolean cancelled;
        synchronized (task) { // one decision: a start cannot slip in between the two
            asked = task.requestCancel();
            cancelled = asked == null && task.apply(new TaskChange.Cancel(null, now));
        }
        if (asked != null) {
            return asked; // running: the engine interrupts it, and it ends CANCELLED when it stops
        }
        if (!cancelled) {
            throw Refusals.cannotCancel(id, task.status());
        }
        releaseUniqueKey(task); // outside the task's monitor: a bulk retry takes the keys' monitor, then tasks'
        return task.snapshot();
    }

    @Override
    public LiveTask retry(UUID id) {
        OpenTasks store = tasks();
        synchronized (replacing) {
            TaskInfo info = store.require(id).snapshot();
            if (info.status() != TaskStatus.FAILED && info.status() != TaskStatus.CANCELLED) {
                throw Refusals.cannotRetry(id, info.status());
            }
            LiveTask retried = LiveTask.of(resetForRetry(info));
            LiveTask holder = store.keys().claim(retried);
            if (holder != null) {
                throw Refusals.uniqueKeyHeld(id, info.status(), holder.id(), info.uniqueKey());
            }
            store.byId().put(id, retried);
            return retried;
        }
    }

    /**
     * Puts the FAILED tasks of runnable names back to PENDING, except that a unique key binds one unfinished task:
     * tasks whose key is held stay FAILED, and of several FAILED tasks with one key only the newest runs again.
     */
    @Override
    public RetriedTasks retryFailed(String category, Collection<String> runnableNames) {
        OpenTasks store = tasks();
        Set<String> names = Set.copyOf(runnableNames);
        synchronized (replacing) {
            List<TaskInfo> failed = store.snapshots()
                    .filter(task -> task.status() == TaskStatus.FAILED)
                    .toList();
            List<TaskInfo> matching = failed.stream()
                    .filter(task -> category == null || category.equals(task.category()))
                    .toList();
            if (matching.isEmpty() || names.isEmpty()) {
                return new RetriedTasks(List.of(), matching.size());
            }
            Map<String, TaskInfo> newestByKey = new HashMap<>();
            failed.stream()
                    .filter(task -> task.uniqueKey() != null)
                    .forEach(task -> newestByKey.merge(
                            task.uniqueKey(), task, (a, b) -> TaskOrder.NEWEST_FIRST.compare(a, b) <= 0 ? a : b));
            List<TaskInfo> candidates = matching.stream()
                    .filter(task -> names.contains(task.name()))
                    .filter(task -> task.uniqueKey() == null
                            || newestByKey.get(task.uniqueKey()).id().equals(task.id()))
                    .sorted(TaskOrder.OLDEST_FIRST)
                    .toList();
            // the tasks were read before the keys' monitor is taken: it must not wait for a task's monitor
            List<LiveTask> retried = store.keys().whileHeld(held -> {
                List<LiveTask> reset = new ArrayList<>();
                for (TaskInfo task : candidates) {
                    if (task.uniqueKey() == null || !held.contains(task.uniqueKey())) {
                        LiveTask again = LiveTask.of(resetForRetry(task));
                        store.byId().put(again.id(), again);
                        reset.add(again);
                    }
                }
                return reset;
            });
            return new RetriedTasks(retried, matching.size());
        }
    }

    @Override
    public void delete(UUID id) {
        OpenTasks store = tasks();
        synchronized (replacing) {
            LiveTask task = store.require(id);
            TaskStatus status = task.status();
            if (!status.isCompleted()) {
                throw Refusals.cannotDelete(id, status);
            }
            store.byId().remove(id, task);
        }
    }

    @Override
    public int deleteCompletedBefore(Instant cutoff) {
        OpenTasks store = tasks();
        synchronized (replacing) {
            List<UUID> old = store.snapshots()
                    .filter(task -> task.status().isCompleted()
                            && task.completedAt() != null
                            && task.completedAt().isBefore(cutoff))
                    .map(TaskInfo::id)
                    .toList();
            old.forEach(store.byId()::remove);
            return old.size();
        }
    }

    // ---- reads ----

    @Override
    public Optional<TaskInfo> find(UUID id) {
        return Optional.ofNullable(tasks().byId().get(id)).map(LiveTask::snapshot);
    }

    @Override
    public TaskPage list(TaskFilter filter) {
        List<TaskInfo> matching = tasks().selected(filter);
        int from = Math.min(filter.offset(), matching.size());
        int to = Math.min(from + filter.limit(), matching.size());
        return new TaskPage(matching.subList(from, to), matching.size(), filter.limit(), filter.offset());
    }

    @Override
    public TaskCounts counts() {
        return tasks().counts();
    }

    @Override
    public List<TaskInfo> recentFailures(int limit) {
        return tasks().recentFailures(limit);
    }

    @Override
    public TaskAnalytics analytics(Duration since, Instant now, TaskAnalytics.GroupBy groupBy) {
        return MemoryAnalytics.of(tasks().snapshots().toList(), since, now, groupBy);
    }

    @Override
    public Set<ExportFormat> exportFormats() {
        return EnumSet.of(ExportFormat.CSV, ExportFormat.JSON);
    }

    /** Writes csv or json with the columns and value formats of the PostgreSQL store's export. */
    @Override
    public void export(TaskFilter filter, ExportFormat format, OutputStream out) throws IOException {
        List<TaskInfo> matching = tasks().selected(filter);
        try (TextExport export = new TextExport(out, format)) {
            for (TaskInfo task : matching) {
                export.row(ExportRow.of(task));
            }
        }
    }

    // ---- schedules ----

    @Override
    public Map<String, ScheduleState> scheduleStates() {
        tasks();
        return schedules.states();
    }

    @Override
    public void pauseSchedule(String name) {
        tasks();
        schedules.pause(name);
    }

    @Override
    public void resumeSchedule(String name, Instant now) {
        tasks();
        schedules.resume(name, now);
    }

    @Override
    public boolean insertScheduled(LiveTask task, String name, Instant fireTime) {
        OpenTasks store = tasks();
        return schedules.fire(name, fireTime, () -> store.byId().put(task.id(), task));
    }

    @Override
    public void check() {
        tasks();
    }

    // ---- resets ----

    /** A task a run left STARTED, as recovery finds it: PENDING again, with the cut-off attempt counted. */
    private static TaskInfo interrupted(TaskInfo task) {
        return pending(task, task.retryCount() + 1, task.runAt(), task.completedAt(), task.result(), task.error());
    }

    /** A FAILED or CANCELLED task put back to PENDING with a fresh retry count. */
    private static TaskInfo resetForRetry(TaskInfo task) {
        return pending(task, 0, null, null, null, null);
    }

    private static TaskInfo pending(
            TaskInfo task, int retryCount, Instant runAt, Instant completedAt, String result, String error) {
        return new TaskInfo(
                task.id(),
                task.name(),
                task.category(),
                task.priority(),
                TaskStatus.PENDING,
                task.createdAt(),
                null,
                completedAt,
                runAt,
                result,
                error,
                retryCount,
                task.maxRetries(),
                task.args(),
                task.kwargs(),
                0,
                null,
                task.dependsOn(),
                task.uniqueKey(),
                task.timeout(),
                false,
                null);
    }
}
