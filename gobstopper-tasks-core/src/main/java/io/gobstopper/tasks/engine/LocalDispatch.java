package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskStats;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.UnrunnableTasks;
import io.gobstopper.tasks.event.TaskEventType;
import io.gobstopper.tasks.store.LiveTask;
import io.gobstopper.tasks.store.TaskBacklog;
import io.gobstopper.tasks.store.TaskChange;
import io.gobstopper.tasks.store.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatch for a store that one instance owns: the store hands over its tasks (the unfinished ones when it opens, new
 * ones as they commit), and they wait in memory: in their category's queue when due, on a timer until they are, and
 * with their parents until those succeeded. Also applies each category's queue capacity. A task whose name is not
 * registered here never reaches a worker: it stays in the store as it is and waits in {@link Unrunnable}, out of the
 * way of the tasks behind it.
 */
final class LocalDispatch implements Dispatch {

    private static final Logger log = LoggerFactory.getLogger(TaskEngine.class);

    private final TaskStore store;
    private final TaskRegistry registry;
    private final Workers workers;
    private final Events events;
    private final EngineState state;
    private final ScheduledExecutorService timers;
    private final Capacity capacity;
    private final Dependencies dependencies = new Dependencies();
    private final Unrunnable unrunnable = new Unrunnable();

    LocalDispatch(
            TaskStore store,
            TaskRegistry registry,
            Workers workers,
            Events events,
            EngineState state,
            ScheduledExecutorService timers,
            TaskEngineSettings settings) {
        this.store = store;
        this.registry = registry;
        this.workers = workers;
        this.events = events;
        this.state = state;
        this.timers = timers;
        this.capacity = new Capacity(settings::capacityFor);
    }

    @Override
    public void start(List<LiveTask> recovered) {
        List<LiveTask> unfinished = new ArrayList<>(recovered);
        // highest priority first (the sort is stable: oldest first within a priority), so that a worker starting on
        // the first task while the rest are still being queued takes them in priority-then-FIFO order
        unfinished.sort(
                Comparator.comparingInt((LiveTask task) -> task.priority().level())
                        .reversed());
        // the due tasks the store kept in its backlog, counted before the recovered ones join them (a priority with a
        // backlog spills its recovered tasks too, so that it runs in one order): unfinished, read back as needed
        Map<String, Long> backlogged = store instanceof TaskBacklog backlog ? backlog.spilledByCategory() : Map.of();
        requeued(unfinished);
        unfinished.forEach(this::admit);
        backlogged.forEach((category, count) -> {
            capacity.add(category, (int) Math.min(Integer.MAX_VALUE, count));
            workers.pool(category).refill();
        });
        for (UnrunnableTasks held : unrunnable.list()) {
            log.warn(
                    "{} stored tasks named '{}' wait, but {}: they stay as they are until an application that has "
                            + "the task (or an alias of it) runs them, or they are failed or deleted by hand",
                    held.count(),
                    held.name(),
                    held.reason());
        }
    }

    @Override
    public void stop() {}

    @Override
    public void reserve(LiveTask task, List<LiveTask> parents) {
        capacity.acquire(task.category(), 1);
        if (!parents.isEmpty()) {
            dependencies.register(task, parents, null);
        }
    }

    @Override
    public void reserveScheduled(LiveTask task) {
        capacity.add(task.category(), 1);
    }

    @Override
    public void unreserve(List<LiveTask> tasks) {
        for (LiveTask task : tasks) {
            capacity.release(task.category());
            dependencies.forget(task);
        }
    }

    @Override
    public void accepted(List<LiveTask> tasks) {
        for (LiveTask task : tasks) {
            if (!task.dependsOn().isEmpty() || task.runAt() != null) {
                tasks.forEach(this::admit);
                return;
            }
        }
        enqueue(tasks);
    }

    /** Queues tasks for the workers; those whose name is not registered here wait in {@link #unrunnable} instead. */
    private void enqueue(List<LiveTask> tasks) {
        List<LiveTask> runnable = tasks;
        for (int i = 0; i < tasks.size(); i++) {
            if (registry.find(tasks.get(i).name()).isEmpty()) {
                runnable = new ArrayList<>(tasks.subList(0, i));
                for (LiveTask task : tasks.subList(i, tasks.size())) {
                    if (registry.find(task.name()).isPresent()) {
                        runnable.add(task);
                    } else {
                        unrunnable.add(task);
                    }
                }
                break;
            }
        }
        if (!runnable.isEmpty()) {
            workers.enqueue(runnable);
        }
    }

    @Override
    public void requeued(List<LiveTask> tasks) {
        for (LiveTask task : tasks) {
            capacity.add(task.category(), 1);
            if (!task.dependsOn().isEmpty()) {
                registerStored(task);
            }
        }
    }

    /**
     * Registers a stored task that depends on others (recovered at start, or retried by hand): parents that ended
     * long ago are read from the store; a parent that is gone is taken as succeeded.
     */
    private void registerStored(LiveTask task) {
        List<LiveTask> live = new ArrayList<>();
        String reason = null;
        for (UUID parentId : task.dependsOn()) {
            LiveTask parent = store.tracked(parentId);
            if (parent != null) {
                live.add(parent);
                continue;
            }
            Optional<TaskInfo> stored = store.find(parentId);
            if (stored.isEmpty()) {
                log.warn(
                        "Task {} ({}) depends on task {}, which no longer exists; it is taken as succeeded",
                        task.id(),
                        task.name(),
                        parentId);
            } else if (stored.get().status() != TaskStatus.SUCCESS && reason == null) {
                reason = Dependencies.reason(
                        parentId, stored.get().name(), stored.get().status());
            }
        }
        dependencies.register(task, live, reason);
    }

    /** A stored task: runs when due, once its parents have succeeded; cancelled if one of them did not. */
    private void admit(LiveTask task) {
        if (registry.find(task.name()).isEmpty()) {
            unrunnable.add(task); // listed at once, also while it waits for its due time or its parents
        }
        Dependencies.Decision decision = task.dependsOn().isEmpty() ? null : dependencies.accept(task);
        if (decision == null && !task.dependsOn().isEmpty()) {
            return; // waits for its parents
        }
        if (decision != null && !decision.release()) {
            cancelDependant(task, decision.cancelReason());
            return;
        }
        dispatch(task);
    }

    /** Queues a task, or sets a timer when it is due later. */
    private void dispatch(LiveTask task) {
        Instant due = task.runAt();
        Instant now = state.now();
        if (due != null && due.isAfter(now)) {
            runAfter(task, Duration.between(now, due));
        } else {
            enqueue(List.of(task));
        }
    }

    @Override
    public void retryLater(LiveTask task, Duration delay) {
        runAfter(task, delay);
    }

    /** Queues the task once the delay has passed: one timer thread for all delayed and retried tasks. */
    private void runAfter(LiveTask task, Duration delay) {
        try {
            timers.schedule(
                    () -> {
                        if (!state.isRunning()) {
                            return;
                        }
                        Instant due = task.runAt();
                        Instant now = state.now();
                        if (due != null && due.isAfter(now) && task.status() != TaskStatus.STARTED) {
                            runAfter(task, Duration.between(now, due)); // the wall clock was set back meanwhile
                        } else {
                            enqueue(List.of(task));
                        }
                    },
                    delay.toNanos(),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            // shutting down: the task stays PENDING or RETRY in the store and is due at the next start
        }
    }

    @Override
    public void ended(LiveTask task) {
        capacity.release(task.category());
        unrunnable.remove(task);
        for (Dependencies.Decision decision : dependencies.ended(task, task.status())) {
            if (decision.release()) {
                if (state.isRunning()) {
                    dispatch(decision.task());
                }
            } else {
                cancelDependant(decision.task(), decision.cancelReason());
            }
        }
    }

    private void cancelDependant(LiveTask task, String reason) {
        if (store.apply(task, new TaskChange.Cancel(reason, state.now()))) {
            log.info("Task {} ({}) {}", task.id(), task.name(), reason);
            events.emit(TaskEventType.CANCELLED, task);
            ended(task);
        }
    }

    @Override
    public void workerFree(LiveTask task) {}

    @Override
    public void cannotRun(LiveTask task) {
        unrunnable.add(task);
    }

    @Override
    public List<UnrunnableTasks> unrunnable() {
        return unrunnable.list();
    }

    /**
     * Fails the held tasks of the name through the store, each change guarded as any other (a task cancelled
     * meanwhile stays CANCELLED), answered once stored; deleted ones are deleted once failed. Their room and their
     * dependants are then seen to as for any task that ends.
     */
    @Override
    public int endUnrunnable(String name, String error, boolean delete) {
        List<LiveTask> held = unrunnable.take(name);
        Instant now = state.now();
        List<CompletableFuture<Boolean>> changes = new ArrayList<>(held.size());
        for (LiveTask task : held) {
            changes.add(
                    store.applyAsync(task, new TaskChange.Reject(error, now)).toCompletableFuture());
        }
        int ended = 0;
        for (int i = 0; i < held.size(); i++) {
            LiveTask task = held.get(i);
            try {
                if (!TaskStore.await(changes.get(i))) {
                    continue;
                }
                if (delete) {
                    store.delete(task.id());
                }
            } catch (RuntimeException ex) {
                held.subList(i, held.size()).forEach(unrunnable::add); // still waiting, or failed as the store says
                throw ex;
            }
            if (!delete) {
                events.emit(TaskEventType.FAILED, task);
            }
            ended(task);
            ended++;
        }
        return ended;
    }

    @Override
    public Map<String, TaskStats.QueueStats> queues() {
        return workers.queues();
    }
}
