package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.ArchiveResult;
import io.gobstopper.tasks.BulkRetryResult;
import io.gobstopper.tasks.ExportFormat;
import io.gobstopper.tasks.InvalidTaskArgumentsException;
import io.gobstopper.tasks.InvalidTaskDefinitionException;
import io.gobstopper.tasks.ManagedTaskQueue;
import io.gobstopper.tasks.NodeInfo;
import io.gobstopper.tasks.QueueHealth;
import io.gobstopper.tasks.ScheduleInfo;
import io.gobstopper.tasks.Submission;
import io.gobstopper.tasks.TaskAnalytics;
import io.gobstopper.tasks.TaskDescriptor;
import io.gobstopper.tasks.TaskException;
import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskLimits;
import io.gobstopper.tasks.TaskPage;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TaskStats;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.UnrunnableTasks;
import io.gobstopper.tasks.UnsupportedStoreOperationException;
import io.gobstopper.tasks.event.TaskEventType;
import io.gobstopper.tasks.event.TaskListener;
import io.gobstopper.tasks.store.LiveTask;
import io.gobstopper.tasks.store.SharedTaskStore;
import io.gobstopper.tasks.store.TaskArchive;
import io.gobstopper.tasks.store.TaskBacklog;
import io.gobstopper.tasks.store.TaskExport;
import io.gobstopper.tasks.store.TaskStore;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;

/**
 * The task engine's life cycle and façade: the {@link io.gobstopper.tasks.TaskQueue} that an application uses. It
 * assembles the parts, each one idea: {@link Admission} checks and stores submits, a {@link Dispatch} chosen once for
 * the store brings tasks to the {@link Workers} (from memory, or claimed from a shared store), and the
 * {@link TaskRunner} runs them and decides on retries. {@link #start()} opens the store; {@link #close()} stops
 * gracefully. Applications build it with {@link io.gobstopper.tasks.GobstopperTasks#builder()}.
 */
public final class TaskEngine implements ManagedTaskQueue {

    private static final Logger log = LoggerFactory.getLogger(TaskEngine.class);

    private final TaskRegistry registry;
    private final TaskStore store;
    private final TaskEngineSettings settings;
    private final EngineState state;
    private final Events events;
    private final ScheduledThreadPoolExecutor scheduler;
    private final Workers workers;
    private final Dispatch dispatch;
    private final TaskRunner runner;
    private final Admission admission;
    private final RecurringTasks recurring;
    private final Instant createdAt = Instant.now();

    /**
     * @param registry the tasks it can run
     * @param store where tasks live
     * @param settings workers, backoff, shutdown and retention
     * @param mapper binds arguments and writes results; the application's mapper
     * @param listeners told of every life-cycle change
     * @param clock the time source
     * @deprecated use {@link io.gobstopper.tasks.GobstopperTasks#builder()}, which assembles the engine
     */
    @Deprecated
    public TaskEngine(
            TaskRegistry registry,
            TaskStore store,
            TaskEngineSettings settings,
            ObjectMapper mapper,
            List<TaskListener> listeners,
            InstantSource clock) {
        this.registry = registry;
        this.store = store;
        this.settings = settings;
        this.state = new EngineState(clock);
        this.events = new Events(listeners, clock);
        TaskJson json = new TaskJson(mapper);
        this.scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "gobstopper-scheduler");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        this.workers = new Workers(
                settings,
                registry,
                task -> runner().run(task),
                store instanceof TaskBacklog backlog && !(store instanceof SharedTaskStore) ? backlog : null);
        this.dispatch = store instanceof SharedTaskStore shared
                ? new ClaimingDispatch(
                        shared, registry, workers, events, state, scheduler, this::cancel, id -> runner().interrupt(id))
                : new LocalDispatch(store, registry, workers, events, state, scheduler, settings);
        this.runner = new TaskRunner(registry, store, json, settings, events, workers, dispatch, state, scheduler);
        this.admission = new Admission(registry, store, json, dispatch, state);
        this.recurring = new RecurringTasks(registry, settings, store, state.clock(), this::fireScheduled);
        checkRecurringTasksTakeNoArguments(json);
        if (store instanceof SharedTaskStore
                && (settings.queueCapacity() > 0
                        || settings.categories().values().stream()
                                .anyMatch(category ->
                                        category.queueCapacity() != null && category.queueCapacity() > 0))) {
            log.warn(
                    "A queue capacity is set, but the {} store is shared by several instances and does not apply it "
                            + "in this release: a submit is never refused",
                    store.kind());
        }
    }

    private TaskRunner runner() {
        return runner;
    }

    private void checkRecurringTasksTakeNoArguments(TaskJson json) {
        for (TaskDefinition task : recurring.tasks()) {
            try {
                task.method()
                        .bind(
                                json.args(task.name(), List.of(), task.method()::positionalName),
                                json.kwargs(task.name(), Map.of()),
                                json.strict());
            } catch (InvalidTaskArgumentsException ex) {
                throw new InvalidTaskDefinitionException("Recurring task '" + task.name() + "' ("
                        + task.method().describe() + ") must take no arguments besides a TaskContext: "
                        + ex.getMessage());
            }
        }
    }

    // ---- life cycle ----

    /**
     * Opens the store, queues the unfinished tasks it holds, and starts the timers. Workers start with the first task
     * of their category.
     */
    @Override
    public synchronized void start() {
        if (state.phase() != EngineState.Phase.NEW) {
            throw new IllegalStateException("The task engine was already started");
        }
        if (settings.retentionMode() == TaskEngineSettings.RetentionMode.ARCHIVE && !(store instanceof TaskArchive)) {
            throw new IllegalStateException("retention-mode=archive needs a store that archives; the " + store.kind()
                    + " store does not: set retention-mode=delete");
        }
        List<LiveTask> unfinished = store.open(state.now(), this::accepted);
        state.moveTo(EngineState.Phase.RUNNING);
        dispatch.start(unfinished);
        recurring.start(scheduler);
        if (!settings.retention().isZero()) {
            long interval = settings.cleanupInterval().toMillis();
            scheduler.scheduleWithFixedDelay(
                    this::retentionCleanup, Math.min(interval, 60_000), interval, TimeUnit.MILLISECONDS);
        }
        log.info(
                "Task engine started on {} {} with {} registered tasks",
                store.kind(),
                store.location(),
                registry.names().size());
    }

    /**
     * Stops gracefully: no new tasks start, running tasks get up to the shutdown timeout to finish, and tasks still
     * running then are interrupted and left PENDING for the next start.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (state.phase() != EngineState.Phase.RUNNING) {
                state.moveTo(EngineState.Phase.STOPPED);
                scheduler.shutdownNow();
                return;
            }
            state.moveTo(EngineState.Phase.STOPPING);
        }
        recurring.stop();
        dispatch.stop();
        scheduler.shutdownNow(); // timers: delayed and RETRY tasks stay so in the store and are due at the next start
        workers.stop();
        long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
        boolean finished;
        try {
            finished = workers.awaitWorkers(deadline);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        if (!finished) {
            runner.releaseRunning();
        }
        store.close();
        state.moveTo(EngineState.Phase.STOPPED);
        log.info("Task engine stopped");
    }

    private void retentionCleanup() {
        try {
            Instant cutoff = state.now().minus(settings.retention());
            if (settings.retentionMode() == TaskEngineSettings.RetentionMode.ARCHIVE) {
                ArchiveResult archived = ((TaskArchive) store).archiveCompletedBefore(cutoff);
                if (archived.archived() > 0) {
                    log.info(
                            "Retention cleanup archived {} tasks that ended more than {} ago to {} files",
                            archived.archived(),
                            settings.retention(),
                            archived.files().size());
                }
                return;
            }
            int deleted = store.deleteCompletedBefore(cutoff);
            if (deleted > 0) {
                log.info(
                        "Retention cleanup deleted {} tasks that ended more than {} ago",
                        deleted,
                        settings.retention());
            }
        } catch (RuntimeException ex) {
            log.warn("Retention cleanup failed; it runs again in {}: {}", settings.cleanupInterval(), ex.getMessage());
        }
    }

    /**
     * Stored tasks are ready: just submitted (the store tells of them once committed), retried by hand, or a recurring
     * run. Listeners hear SUBMITTED before a worker can take them.
     */
    private void accepted(List<LiveTask> tasks) {
        for (LiveTask task : tasks) {
            events.emit(TaskEventType.SUBMITTED, task);
        }
        if (state.isRunning()) { // when stopping they stay PENDING in the store for the next start
            dispatch.accepted(tasks);
        }
    }

    // ---- submitting ----

    @Override
    public Submission offer(TaskRequest request) {
        return admission.offer(request);
    }

    @Override
    public CompletableFuture<UUID> submitAsync(TaskRequest request) {
        return admission.submitAsync(request);
    }

    @Override
    public List<UUID> submitAll(List<TaskRequest> requests) {
        return admission.submitBatch(requests, false);
    }

    @Override
    public List<UUID> submitChain(List<TaskRequest> requests) {
        return admission.submitBatch(requests, true);
    }

    /** Stores a recurring task's run for one fire time, once, and queues it. */
    private boolean fireScheduled(TaskDefinition definition, Instant fireTime) {
        if (!state.isRunning()) {
            return false;
        }
        Optional<LiveTask> run = admission.admitScheduled(definition, fireTime);
        run.ifPresent(task -> accepted(List.of(task)));
        return run.isPresent();
    }

    // ---- inspecting and managing ----

    @Override
    public Optional<TaskInfo> get(UUID id) {
        state.ensureRunning();
        return store.find(id);
    }

    @Override
    public TaskPage list(TaskFilter filter) {
        state.ensureRunning();
        return store.list(filter);
    }

    @Override
    public TaskInfo cancel(UUID id) {
        state.ensureRunning();
        LiveTask task = store.tracked(id);
        TaskInfo cancelled = store.cancel(id, state.now());
        if (cancelled.status() == TaskStatus.STARTED) {
            runner.interrupt(id);
            log.info("Task {} ({}) is asked to stop; it ends CANCELLED when its method returns", cancelled.name(), id);
            return cancelled;
        }
        workers.remove(cancelled.category(), id);
        events.emit(TaskEventType.CANCELLED, cancelled);
        if (task != null) {
            dispatch.ended(task);
        }
        return cancelled;
    }

    @Override
    public TaskInfo retry(UUID id) {
        state.ensureRunning();
        LiveTask task = store.retry(id);
        TaskInfo reset = task.snapshot(); // as reset: once queued, a worker may start it at any moment
        requeue(List.of(task));
        return reset;
    }

    @Override
    public BulkRetryResult retryFailed(String category) {
        state.ensureRunning();
        TaskStore.RetriedTasks retried = store.retryFailed(category, registry.runnableNames());
        requeue(retried.tasks());
        return new BulkRetryResult(retried.tasks().size(), retried.totalFailed());
    }

    private void requeue(List<LiveTask> tasks) {
        dispatch.requeued(tasks);
        accepted(tasks);
    }

    @Override
    public void delete(UUID id) {
        state.ensureRunning();
        store.delete(id);
    }

    @Override
    public int cleanup(Duration olderThan) {
        state.ensureRunning();
        if (olderThan == null || olderThan.isNegative()) {
            throw new IllegalArgumentException("olderThan must be zero or more, got " + olderThan);
        }
        return store.deleteCompletedBefore(state.now().minus(olderThan));
    }

    @Override
    public TaskAnalytics analytics(Duration since, TaskAnalytics.GroupBy groupBy, boolean includeArchive) {
        state.ensureRunning();
        if (since == null || since.isZero() || since.isNegative() || since.compareTo(TaskAnalytics.MAX_SINCE) > 0) {
            throw new IllegalArgumentException("since must be more than zero and at most "
                    + TaskAnalytics.MAX_SINCE.toDays() + " days, got " + since);
        }
        TaskAnalytics.GroupBy by = groupBy == null ? TaskAnalytics.GroupBy.NAME : groupBy;
        if (includeArchive && store instanceof TaskArchive archive) {
            return archive.analyticsWithArchive(since, state.now(), by);
        }
        return store.analytics(since, state.now(), by); // a store without an archive has nothing archived to add
    }

    @Override
    public ArchiveResult archive(Duration olderThan) {
        state.ensureRunning();
        if (olderThan == null || olderThan.isNegative()) {
            throw new IllegalArgumentException("olderThan must be zero or more, got " + olderThan);
        }
        if (!(store instanceof TaskArchive archive)) {
            throw new UnsupportedStoreOperationException("Archiving is DuckDB-only in this release; the " + store.kind()
                    + " store cannot archive. Use POST .../cleanup to delete old tasks instead.");
        }
        return archive.archiveCompletedBefore(state.now().minus(olderThan));
    }

    @Override
    public void export(TaskFilter filter, ExportFormat format, OutputStream out) throws IOException {
        state.ensureRunning();
        if (!(store instanceof TaskExport export) || !export.exportFormats().contains(format)) {
            String can = store instanceof TaskExport export
                    ? "; the " + store.kind() + " store exports "
                            + String.join(
                                    " and ",
                                    export.exportFormats().stream()
                                            .map(ExportFormat::extension)
                                            .sorted()
                                            .toList())
                    : "; the " + store.kind() + " store cannot export";
            throw new UnsupportedStoreOperationException(
                    "Exporting " + (format == ExportFormat.PARQUET ? "Parquet" : format.extension())
                            + " is DuckDB-only in this release" + can + ".");
        }
        export.export(filter == null ? TaskFilter.all() : filter, format, out);
    }

    @Override
    public TaskStats stats() {
        state.ensureRunning();
        TaskStore.TaskCounts counts = store.counts();
        Map<String, TaskStats.QueueStats> queues = queues();
        int running =
                queues.values().stream().mapToInt(TaskStats.QueueStats::running).sum();
        int queued =
                queues.values().stream().mapToInt(TaskStats.QueueStats::queued).sum();
        return new TaskStats(
                counts.total(),
                counts.byStatus(),
                counts.byCategory(),
                running,
                queued,
                queues,
                registry.names(),
                dispatch.unrunnable());
    }

    @Override
    public List<UnrunnableTasks> unrunnable() {
        return dispatch.unrunnable();
    }

    @Override
    public int failUnrunnable(String name) {
        return endUnrunnable(name, false);
    }

    @Override
    public int deleteUnrunnable(String name) {
        return endUnrunnable(name, true);
    }

    private int endUnrunnable(String name, boolean delete) {
        state.ensureRunning();
        if (!TaskLimits.isValidName(name)) {
            throw new IllegalArgumentException("Task " + TaskLimits.nameRefusal(name));
        }
        Optional<TaskDefinition> registered = registry.find(name);
        if (registered.isPresent()) {
            throw new IllegalArgumentException("A task named '" + name + "' is registered in this application ("
                    + (registered.get().name().equals(name)
                            ? ""
                            : "as an alias of task '" + registered.get().name() + "', ")
                    + registered.get().method().describe() + "), so its tasks run here; cancel or delete them one by "
                    + "one instead");
        }
        String error = "Failed by hand without a run: " + UnrunnableTasks.reason(name);
        int ended = dispatch.endUnrunnable(name, error, delete);
        log.info(
                "{} {} stored tasks named '{}', which no task of this application runs",
                delete ? "Deleted" : "Failed",
                ended,
                name);
        return ended;
    }

    @Override
    public Map<String, TaskStats.QueueStats> queues() {
        return dispatch.queues();
    }

    @Override
    public QueueHealth health() {
        if (!state.isRunning()) {
            return new QueueHealth(
                    false,
                    store.kind(),
                    store.location(),
                    "the task engine is " + state.phase().name().toLowerCase());
        }
        try {
            store.check();
        } catch (TaskException ex) {
            return new QueueHealth(false, store.kind(), store.location(), ex.getMessage());
        }
        List<String> dead = workers.withDeadWorkers();
        if (!dead.isEmpty()) {
            return new QueueHealth(false, store.kind(), store.location(), "workers died in categories " + dead);
        }
        return new QueueHealth(true, store.kind(), store.location(), null);
    }

    @Override
    public List<TaskInfo> recentFailures(int limit) {
        state.ensureRunning();
        if (limit < 1 || limit > TaskFilter.MAX_LIMIT) {
            throw new IllegalArgumentException(
                    "limit must be between 1 and " + TaskFilter.MAX_LIMIT + ", got " + limit);
        }
        return store.recentFailures(limit);
    }

    @Override
    public int resizeWorkers(String category, int workers) {
        state.ensureRunning();
        if (!TaskLimits.isValidCategory(category)) {
            throw new IllegalArgumentException(TaskLimits.categoryRefusal(category));
        }
        TaskEngineSettings.checkWorkers("workers", workers);
        this.workers.pool(category).resize(workers);
        log.info("Category {} resized to {} workers", category, workers);
        return workers;
    }

    @Override
    public List<TaskDescriptor> registeredTasks() {
        return registry.definitions().stream().map(TaskDefinition::descriptor).toList();
    }

    @Override
    public Optional<TaskDescriptor> describe(String name) {
        return registry.find(name).map(TaskDefinition::descriptor);
    }

    @Override
    public List<NodeInfo> nodes() {
        state.ensureRunning();
        if (store instanceof SharedTaskStore shared) {
            List<NodeInfo> nodes = shared.nodes();
            if (!nodes.isEmpty()) {
                return nodes;
            }
        }
        return List.of(new NodeInfo(defaultNodeId(), createdAt, state.clock().instant(), workers.running(), true));
    }

    /** This process's name among instances: its host name and process id, as {@code host-1234}. */
    public static String defaultNodeId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException | SecurityException ex) {
            host = "localhost";
        }
        return host.replace(':', '-') + "-" + ProcessHandle.current().pid();
    }

    @Override
    public List<ScheduleInfo> schedules() {
        state.ensureRunning();
        return recurring.list();
    }

    @Override
    public ScheduleInfo pauseSchedule(String name) {
        state.ensureRunning();
        return recurring.pause(name);
    }

    @Override
    public ScheduleInfo resumeSchedule(String name) {
        state.ensureRunning();
        return recurring.resume(name);
    }

    @Override
    public UUID triggerSchedule(String name) {
        state.ensureRunning();
        return submit(TaskRequest.of(recurring.task(name).name()));
    }

    @Override
    public boolean isEnabled() {
        return true;
    }

    /** The registry this engine runs tasks from. */
    public TaskRegistry registry() {
        return registry;
    }

    /** The store this engine keeps tasks in. */
    public TaskStore store() {
        return store;
    }
}
