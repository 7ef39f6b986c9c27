package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.TaskException;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskStats;
import io.gobstopper.tasks.UnrunnableTasks;
import io.gobstopper.tasks.event.TaskEventType;
import io.gobstopper.tasks.store.LiveTask;
import io.gobstopper.tasks.store.SharedStoreSignals;
import io.gobstopper.tasks.store.SharedTaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatch for a store that several instances share: tasks wait in the store, and a {@link Claimer} claims due ones
 * for this instance's free workers, woken when this instance submits or frees a worker, when the store signals that
 * another instance did, and every poll interval. Waiting for parents and for a due time is the store's. Queue capacity
 * and priority aging are not applied across instances (see {@link SharedTaskStore}). It claims only tasks whose name
 * (or alias) is registered here; the others wait in the store for an instance that knows them, and are listed as
 * unrunnable as the housekeeping last found them.
 */
final class ClaimingDispatch implements Dispatch {

    private static final Logger log = LoggerFactory.getLogger(TaskEngine.class);

    private final SharedTaskStore store;
    private final TaskRegistry registry;
    private final Workers workers;
    private final Events events;
    private final EngineState state;
    private final ScheduledExecutorService timers;
    private final StoreQueues storeQueues = new StoreQueues();
    private final Claimer claimer;
    /**
     * The tasks that wait in the store under names not registered here, as the housekeeping last read them. Read and
     * ended under this dispatch's monitor, so a read does not bring back tasks ended meanwhile.
     */
    private volatile List<UnrunnableTasks> unrunnable = List.of();

    /**
     * @param cancel cancels a task as a user would (the engine's cancel), for a request made on another instance
     * @param interrupt interrupts the run of a task here, if it runs here
     */
    ClaimingDispatch(
            SharedTaskStore store,
            TaskRegistry registry,
            Workers workers,
            Events events,
            EngineState state,
            ScheduledExecutorService timers,
            Consumer<UUID> cancel,
            Consumer<UUID> interrupt) {
        this.store = store;
        this.registry = registry;
        this.workers = workers;
        this.events = events;
        this.state = state;
        this.timers = timers;
        this.claimer = new Claimer(
                store,
                this::claimableCategories,
                registry::runnableNames,
                workers::pool,
                state.clock(),
                storeQueues,
                this::readUnrunnable);
        store.attach(new Signals(store, cancel, interrupt));
    }

    @Override
    public void start(List<LiveTask> recovered) {
        claimer.start();
    }

    @Override
    public void stop() {
        claimer.stop();
    }

    @Override
    public void reserve(LiveTask task, List<LiveTask> parents) {
        // the shared store holds the waiting tasks and their parents; no capacity is applied across instances
    }

    @Override
    public void reserveScheduled(LiveTask task) {}

    @Override
    public void unreserve(List<LiveTask> tasks) {}

    @Override
    public void accepted(List<LiveTask> tasks) {
        Instant now = state.now();
        for (LiveTask task : tasks) {
            workers.pool(task.category()); // its category is claimed for from now on, also when no task declares it
            storeQueues.submitted(task, now);
            wakeWhenDue(task); // claimed by whichever instance has a worker free first
        }
    }

    @Override
    public void requeued(List<LiveTask> tasks) {}

    @Override
    public void retryLater(LiveTask task, Duration delay) {
        wakeWhenDue(task); // any instance may run the retry; this one looks when it is due
    }

    /** Looks for work now, or once the task is due. */
    private void wakeWhenDue(LiveTask task) {
        Instant due = task.runAt();
        Instant now = state.now();
        if (due == null || !due.isAfter(now)) {
            claimer.wake();
            return;
        }
        try {
            timers.schedule(claimer::wake, Duration.between(now, due).toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            // shutting down: another instance, or the next start, runs it
        }
    }

    @Override
    public void ended(LiveTask task) {
        // the outcome no longer holds room; dependants it made ready are the store's word of work to every instance
        if (Claimer.want(workers.pool(task.category())) > 0) {
            claimer.roomFreed(task.category());
        }
    }

    @Override
    public void workerFree(LiveTask task) {
        // a wake-up per task would cost a context switch per task while claims ahead keep the workers fed
        if (Claimer.want(workers.pool(task.category()), 1) > 0) {
            claimer.roomFreed(task.category());
        }
    }

    /** A worker took a task this instance cannot run (a store that claimed it anyway): it goes back to the store. */
    @Override
    public void cannotRun(LiveTask task) {
        log.warn(
                "Task {} ({}) was claimed, but no task of that name is registered here; it is given back to the store",
                task.id(),
                task.name());
        store.unclaim(List.of(task));
    }

    private synchronized void readUnrunnable() {
        unrunnable = store.waitingOutside(registry.runnableNames()).entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(entry -> UnrunnableTasks.of(entry.getKey(), entry.getValue()))
                .toList();
    }

    @Override
    public List<UnrunnableTasks> unrunnable() {
        return unrunnable;
    }

    /** Ends them in the store, with one statement; other instances hear of the failures when they look. */
    @Override
    public synchronized int endUnrunnable(String name, String error, boolean delete) {
        int ended;
        if (delete) {
            ended = store.deleteWaiting(name);
        } else {
            List<TaskInfo> failed = store.failWaiting(name, error, state.now());
            failed.forEach(task -> events.emit(TaskEventType.FAILED, task));
            ended = failed.size();
        }
        unrunnable =
                unrunnable.stream().filter(tasks -> !tasks.name().equals(name)).toList();
        return ended;
    }

    /**
     * The categories this instance claims for: those of its tasks, those configured, and those with tasks waiting in
     * the store (a category any instance submitted to).
     */
    private Collection<String> claimableCategories() {
        Set<String> categories = new TreeSet<>(workers.categories());
        categories.addAll(storeQueues.categories());
        return categories;
    }

    /**
     * The queues as the workers here see them, with the tasks that wait in the shared store: as the claimer last read
     * it, with this instance's own changes since.
     */
    @Override
    public Map<String, TaskStats.QueueStats> queues() {
        Map<String, TaskStats.QueueStats> queues = workers.queues();
        Instant now = state.clock().instant();
        for (String category : storeQueues.categories()) {
            queues.compute(category, (name, stats) -> {
                TaskStats.QueueStats local = stats != null ? stats : workers.idle(name);
                Duration waited = storeQueues.oldestWait(name, now);
                return new TaskStats.QueueStats(
                        local.queued() + (int) Math.min(Integer.MAX_VALUE, storeQueues.count(name)),
                        local.running(),
                        local.workers(),
                        waited.compareTo(local.oldestWait()) > 0 ? waited : local.oldestWait(),
                        local.maxWait());
            });
        }
        return queues;
    }

    /** What the shared store tells this instance. */
    private final class Signals implements SharedStoreSignals {

        private final SharedTaskStore store;
        private final Consumer<UUID> cancel;
        private final Consumer<UUID> interrupt;

        Signals(SharedTaskStore store, Consumer<UUID> cancel, Consumer<UUID> interrupt) {
            this.store = store;
            this.cancel = cancel;
            this.interrupt = interrupt;
        }

        @Override
        public void workAvailable() {
            claimer.wake();
        }

        @Override
        public void workDueAt(Instant due) {
            claimer.dueAt(due);
        }

        @Override
        public void cancelRequested(UUID id) {
            if (store.tracked(id) == null || !state.isRunning()) {
                return;
            }
            try {
                cancel.accept(id); // a run in progress is interrupted; a task claimed but not started ends CANCELLED
            } catch (TaskException ex) {
                log.debug("Task {} could not be cancelled here: {}", id, ex.getMessage());
            }
        }

        @Override
        public void leaseLost(UUID id) {
            interrupt.accept(id); // another instance runs it now; this run's outcome would not be recorded anyway
        }

        @Override
        public boolean wantsRemoteEvents() {
            return events.wantsRemote();
        }

        @Override
        public void remoteEvent(TaskEventType type, TaskInfo task) {
            events.remote(type, task);
        }
    }
}
