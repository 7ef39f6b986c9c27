package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.BulkRetryResult;
import io.gobstopper.tasks.InvalidTaskArgumentsException;
import io.gobstopper.tasks.QueueHealth;
import io.gobstopper.tasks.ScheduleInfo;
import io.gobstopper.tasks.Submission;
import io.gobstopper.tasks.TaskDescriptor;
import io.gobstopper.tasks.TaskException;
import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskPage;
import io.gobstopper.tasks.TaskPriority;
import io.gobstopper.tasks.TaskQueue;
import io.gobstopper.tasks.TaskQueueUnavailableException;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TaskStats;
import io.gobstopper.tasks.TaskStoreException;
import io.gobstopper.tasks.UnknownTaskException;
import io.gobstopper.tasks.event.TaskEvent;
import io.gobstopper.tasks.event.TaskEventType;
import io.gobstopper.tasks.event.TaskListener;
import io.gobstopper.tasks.store.LiveTask;
import io.gobstopper.tasks.store.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The task engine: the {@link TaskQueue} that stores tasks, runs them on per-category workers in priority-then-FIFO
 * order, retries failures on a timer, and shuts down gracefully. Call {@link #start()} before use and
 * {@link #close()} at the end.
 */
public final class TaskEngine implements TaskQueue, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TaskEngine.class);

    private enum State {
        NEW,
        RUNNING,
        STOPPING,
        STOPPED
    }

    private final TaskRegistry registry;
    private final TaskStore store;
    private final TaskEngineSettings settings;
    private final TaskJson json;
    private final List<TaskListener> listeners;
    private final InstantSource clock;
    private final Map<String, CategoryPool> pools = new ConcurrentHashMap<>();
    private final TaskIds ids = new TaskIds();
    private ScheduledThreadPoolExecutor scheduler;
    private volatile State state = State.NEW;

    /**
     * @param registry the tasks it can run
     * @param store where tasks live
     * @param settings workers, backoff, shutdown and retention
     * @param mapper binds arguments and writes results; the application's mapper
     * @param listeners told of every life-cycle change
     * @param clock the time source
     */
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
        this.json = new TaskJson(mapper);
        this.listeners = List.copyOf(listeners);
        this.clock = clock;
    }

    // ---- life cycle ----

    /**
     * Opens the store, queues the unfinished tasks it holds, and starts the timers. Workers start with the first
     * task of their category.
     */
    public synchronized void start() {
        if (state != State.NEW) {
            throw new IllegalStateException("The task engine was already started");
        }
        Instant now = now();
        List<LiveTask> unfinished = new ArrayList<>(store.open(now, this::accepted));
        // highest priority first (the sort is stable: oldest first within a priority), so that a worker starting
        // on the first task while the rest are still being queued takes them in priority-then-FIFO order
        unfinished.sort(Comparator.comparingInt((LiveTask task) -> task.priority().level()).reversed());
        scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "gobstopper-scheduler");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        state = State.RUNNING;
        for (LiveTask task : unfinished) {
            Instant due = task.runAt();
            if (due != null && due.isAfter(now)) {
                scheduleRetry(task, Duration.between(now, due));
            } else {
                poolFor(task.category()).enqueue(List.of(task));
            }
        }
        if (!settings.retention().isZero()) {
            long interval = settings.cleanupInterval().toMillis();
            scheduler.scheduleWithFixedDelay(this::retentionCleanup, Math.min(interval, 60_000), interval, TimeUnit.MILLISECONDS);
        }
        log.info("Task engine started on {} {} with {} registered tasks", store.kind(), store.location(),
                registry.names().size());
    }

    /**
     * Stops gracefully: no new tasks start, running tasks get up to the shutdown timeout to finish, and tasks
     * still running then are interrupted and left PENDING for the next start.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (state != State.RUNNING) {
                state = State.STOPPED;
                return;
            }
            state = State.STOPPING;
        }
        scheduler.shutdownNow(); // retry timers: those tasks stay RETRY in the store and are due at the next start
        pools.values().forEach(CategoryPool::stop);
        long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
        boolean finished = true;
        try {
            for (CategoryPool pool : pools.values()) {
                finished &= pool.awaitWorkers(deadline);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        if (!finished) {
            releaseRunning();
        }
        store.close();
        state = State.STOPPED;
        log.info("Task engine stopped");
    }

    private void releaseRunning() {
        for (CategoryPool pool : pools.values()) {
            pool.runningTasks().forEach((thread, task) -> {
                if (store.markReleased(task)) {
                    log.warn("Task {} ({}) did not finish within the shutdown timeout of {}; it is interrupted and "
                            + "runs again at the next start", task.id(), task.name(), settings.shutdownTimeout());
                }
                thread.interrupt();
            });
        }
    }

    private void retentionCleanup() {
        try {
            int deleted = store.deleteCompletedBefore(now().minus(settings.retention()));
            if (deleted > 0) {
                log.info("Retention cleanup deleted {} tasks that ended more than {} ago", deleted, settings.retention());
            }
        } catch (RuntimeException ex) {
            log.warn("Retention cleanup failed; it runs again in {}: {}", settings.cleanupInterval(), ex.getMessage());
        }
    }

    // ---- submitting ----

    @Override
    public Submission offer(TaskRequest request) {
        LiveTask task = prepare(request);
        TaskStore.await(store.insert(List.of(task))); // queued by accepted() once committed
        return new Submission(task.id(), true);
    }

    @Override
    public List<UUID> submitAll(List<TaskRequest> requests) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public List<UUID> submitChain(List<TaskRequest> requests) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public List<ScheduleInfo> schedules() {
        return List.of();
    }

    @Override
    public ScheduleInfo pauseSchedule(String name) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public ScheduleInfo resumeSchedule(String name) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public UUID triggerSchedule(String name) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public CompletableFuture<UUID> submitAsync(TaskRequest request) {
        LiveTask task = prepare(request);
        return store.insert(List.of(task)).thenApply(stored -> task.id());
    }

    private LiveTask prepare(TaskRequest request) {
        ensureRunning();
        String name = request.name();
        TaskDefinition definition =
                registry.find(name).orElseThrow(() -> new UnknownTaskException(name, registry.names()));
        String category = request.category() != null ? request.category() : definition.category();
        if (request.category() != null && !TaskDefinition.isValidCategory(category)) {
            throw new InvalidTaskArgumentsException("Task '" + name + "': category '" + category
                    + "' is invalid; use 1-64 letters, digits, '_', '-' or '.'");
        }
        TaskPriority priority = request.priority() != null ? request.priority() : definition.priority();
        int maxRetries = request.maxRetries() != null ? request.maxRetries() : definition.maxRetries();
        if (maxRetries < 0 || maxRetries > TaskDefinition.MAX_RETRIES) {
            throw new InvalidTaskArgumentsException("Task '" + name + "': maxRetries must be between 0 and "
                    + TaskDefinition.MAX_RETRIES + ", got " + maxRetries);
        }
        ArrayNode args = json.args(name, request.args(), definition.method()::positionalName);
        ObjectNode kwargs = json.kwargs(name, request.kwargs());
        Object[] bound = definition.method().bind(args, kwargs, json.strict());
        Instant now = now();
        LiveTask task = LiveTask.submitted(ids.next(now.toEpochMilli()), name, category, priority, maxRetries,
                json.text(args), json.text(kwargs), now);
        task.prepareArguments(bound);
        return task;
    }

    /** Queues tasks that are stored and ready: just submitted (told by the store once committed) or retried. */
    private void accepted(List<LiveTask> tasks) {
        for (LiveTask task : tasks) {
            emit(TaskEventType.SUBMITTED, task); // before a worker can take it, so listeners hear SUBMITTED first
        }
        if (state != State.RUNNING) {
            return; // stopping: they stay PENDING in the store for the next start
        }
        if (tasks.size() == 1) {
            poolFor(tasks.get(0).category()).enqueue(tasks);
            return;
        }
        Map<String, List<LiveTask>> byCategory = new java.util.LinkedHashMap<>();
        tasks.forEach(task -> byCategory.computeIfAbsent(task.category(), category -> new ArrayList<>()).add(task));
        byCategory.forEach((category, batch) -> poolFor(category).enqueue(batch));
    }

    private CategoryPool poolFor(String category) {
        return pools.computeIfAbsent(category, name -> new CategoryPool(name, settings.workersFor(name), this::run));
    }

    // ---- running ----

    /** Runs one task on the calling worker thread. */
    private void run(LiveTask task) {
        Optional<TaskDefinition> found = registry.find(task.name());
        if (found.isEmpty()) {
            if (store.markRejected(task, "No task named '" + task.name() + "' is registered in this application "
                    + "(renamed or removed?); retry it once the task exists again", now())) {
                emit(TaskEventType.FAILED, task);
            }
            return;
        }
        TaskDefinition definition = found.get();
        int attempt = task.retryCount() + 1;
        if (!store.markStarted(task, now())) {
            return; // cancelled while it waited
        }
        emit(TaskEventType.STARTED, task);
        Object result;
        try {
            Object[] arguments = task.takePreparedArguments();
            if (arguments == null) {
                arguments = definition.method().bind(json.read(task.args()), json.read(task.kwargs()), json.strict());
            }
            result = definition.method().invoke(arguments, new RunningTaskContext(task, attempt, this));
            if (result instanceof CompletionStage<?> stage) {
                result = awaitResult(stage);
            }
        } catch (InvalidTaskArgumentsException ex) {
            finish(task, definition, ex, true);
            return;
        } catch (Throwable ex) {
            finish(task, definition, ex, false);
            return;
        }
        String resultJson;
        try {
            resultJson = result == null ? null : json.write(result);
        } catch (JacksonException ex) {
            finish(task, definition, new IllegalStateException("The task returned a " + result.getClass().getName()
                    + " that cannot be written as JSON: " + ex.getOriginalMessage(), ex), true);
            return;
        }
        if (store.markSucceeded(task, resultJson, now())) {
            emit(TaskEventType.SUCCEEDED, task);
        }
    }

    private static Object awaitResult(CompletionStage<?> stage) throws Throwable {
        try {
            return stage.toCompletableFuture().get();
        } catch (ExecutionException ex) {
            throw ex.getCause() != null ? ex.getCause() : ex;
        }
    }

    private void finish(LiveTask task, TaskDefinition definition, Throwable failure, boolean failFast) {
        String error = describe(failure);
        int retries = task.retryCount();
        Instant now = now();
        if (failFast || definition.failsFast(failure) || retries >= task.maxRetries()) {
            if (store.markFailed(task, error, now, null)) {
                log.warn("Task {} ({}) failed{}", task.name(), task.id(),
                        retries > 0 ? " after " + retries + " retries" : "", failure);
                emit(TaskEventType.FAILED, task);
            }
            return;
        }
        Duration delay = settings.retryFor(task.category()).delayBefore(retries + 1);
        if (store.markFailed(task, error, now, now.plus(delay))) {
            log.info("Task {} ({}) failed, retry {} of {} in {}: {}", task.name(), task.id(), retries + 1,
                    task.maxRetries(), delay, error);
            emit(TaskEventType.RETRY, task); // before the timer can start the next run
            scheduleRetry(task, delay);
        }
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getName() + (message == null ? "" : ": " + message);
    }

    private void scheduleRetry(LiveTask task, Duration delay) {
        try {
            scheduler.schedule(() -> {
                if (state == State.RUNNING) {
                    poolFor(task.category()).enqueue(List.of(task));
                }
            }, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            // shutting down: the task stays RETRY in the store and is due at the next start
        }
    }

    void progress(LiveTask task, int percent, String message) {
        if (store.markProgress(task, percent, message)) {
            emit(TaskEventType.PROGRESS, task);
        }
    }

    private void emit(TaskEventType type, LiveTask task) {
        if (!listeners.isEmpty()) {
            emit(type, task.snapshot());
        }
    }

    private void emit(TaskEventType type, TaskInfo task) {
        if (listeners.isEmpty()) {
            return;
        }
        TaskEvent event = new TaskEvent(type, task, clock.instant());
        for (TaskListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException ex) {
                log.warn("Task listener {} failed on {} of task {}", listener, type, task.id(), ex);
            }
        }
    }

    // ---- inspecting and managing ----

    @Override
    public Optional<TaskInfo> get(UUID id) {
        ensureRunning();
        return store.find(id);
    }

    @Override
    public TaskPage list(TaskFilter filter) {
        ensureRunning();
        return store.list(filter);
    }

    @Override
    public TaskInfo cancel(UUID id) {
        ensureRunning();
        TaskInfo cancelled = store.cancel(id, now());
        CategoryPool pool = pools.get(cancelled.category());
        if (pool != null) {
            pool.remove(id);
        }
        emit(TaskEventType.CANCELLED, cancelled);
        return cancelled;
    }

    @Override
    public TaskInfo retry(UUID id) {
        ensureRunning();
        LiveTask task = store.retry(id);
        TaskInfo reset = task.snapshot(); // as reset: once queued, a worker may start it at any moment
        accepted(List.of(task));
        return reset;
    }

    @Override
    public BulkRetryResult retryFailed(String category) {
        ensureRunning();
        TaskStore.RetriedTasks retried = store.retryFailed(category, registry.names());
        accepted(retried.tasks());
        return new BulkRetryResult(retried.tasks().size(), retried.totalFailed());
    }

    @Override
    public void delete(UUID id) {
        ensureRunning();
        store.delete(id);
    }

    @Override
    public int cleanup(Duration olderThan) {
        ensureRunning();
        if (olderThan == null || olderThan.isNegative()) {
            throw new IllegalArgumentException("olderThan must be zero or more, got " + olderThan);
        }
        return store.deleteCompletedBefore(now().minus(olderThan));
    }

    @Override
    public TaskStats stats() {
        ensureRunning();
        TaskStore.TaskCounts counts = store.counts();
        Map<String, TaskStats.QueueStats> queues = queues();
        int running = queues.values().stream().mapToInt(TaskStats.QueueStats::running).sum();
        int queued = queues.values().stream().mapToInt(TaskStats.QueueStats::queued).sum();
        return new TaskStats(counts.total(), counts.byStatus(), counts.byCategory(), running, queued, queues,
                registry.names());
    }

    @Override
    public Map<String, TaskStats.QueueStats> queues() {
        Map<String, TaskStats.QueueStats> queues = new TreeMap<>();
        registry.definitions().forEach(definition -> queues.put(definition.category(), idle(definition.category())));
        settings.categories().keySet().forEach(category -> queues.put(category, idle(category)));
        pools.values().forEach(pool -> queues.put(pool.category(),
                new TaskStats.QueueStats(pool.queued(), pool.running(), pool.workers())));
        return queues;
    }

    private TaskStats.QueueStats idle(String category) {
        return new TaskStats.QueueStats(0, 0, settings.workersFor(category));
    }

    @Override
    public QueueHealth health() {
        if (state != State.RUNNING) {
            return new QueueHealth(false, store.kind(), store.location(), "the task engine is " + state.name().toLowerCase());
        }
        try {
            store.check();
        } catch (TaskException ex) {
            return new QueueHealth(false, store.kind(), store.location(), ex.getMessage());
        }
        List<String> dead = new ArrayList<>();
        pools.values().forEach(pool -> {
            if (pool.deadWorkers() > 0) {
                dead.add(pool.category());
            }
        });
        if (!dead.isEmpty()) {
            return new QueueHealth(false, store.kind(), store.location(), "workers died in categories " + dead);
        }
        return new QueueHealth(true, store.kind(), store.location(), null);
    }

    @Override
    public List<TaskInfo> recentFailures(int limit) {
        ensureRunning();
        if (limit < 1 || limit > TaskFilter.MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + TaskFilter.MAX_LIMIT + ", got " + limit);
        }
        return store.recentFailures(limit);
    }

    @Override
    public int resizeWorkers(String category, int workers) {
        ensureRunning();
        if (!TaskDefinition.isValidCategory(category)) {
            throw new IllegalArgumentException("category '" + category
                    + "' is invalid; use 1-64 letters, digits, '_', '-' or '.'");
        }
        TaskEngineSettings.checkWorkers("workers", workers);
        poolFor(category).resize(workers);
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

    private void ensureRunning() {
        State current = state;
        if (current != State.RUNNING) {
            throw new TaskQueueUnavailableException(current == State.NEW
                    ? "The task queue has not started yet; submit tasks once the application has started"
                    : "The task queue is shutting down and takes no more work");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

}
