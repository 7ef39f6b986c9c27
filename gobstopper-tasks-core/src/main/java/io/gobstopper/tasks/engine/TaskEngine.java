package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.BatchItemException;
import io.gobstopper.tasks.BulkRetryResult;
import io.gobstopper.tasks.InvalidTaskDefinitionException;
import io.gobstopper.tasks.InvalidTaskArgumentsException;
import io.gobstopper.tasks.NodeInfo;
import io.gobstopper.tasks.QueueHealth;
import io.gobstopper.tasks.ScheduleInfo;
import io.gobstopper.tasks.Submission;
import io.gobstopper.tasks.TaskArgumentsTooLargeException;
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
import io.gobstopper.tasks.TaskTimeoutException;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.UnknownTaskException;
import io.gobstopper.tasks.event.TaskEvent;
import io.gobstopper.tasks.event.TaskEventType;
import io.gobstopper.tasks.event.TaskListener;
import io.gobstopper.tasks.store.LiveTask;
import io.gobstopper.tasks.store.SharedStoreSignals;
import io.gobstopper.tasks.store.TaskStore;
import io.gobstopper.tasks.store.UniqueKeyTakenException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
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
    private final Dependencies dependencies = new Dependencies();
    private final Capacity capacity;
    private final Map<UUID, RunningTaskContext> runs = new ConcurrentHashMap<>();
    private final RecurringTasks recurring;
    /** Whether the store is shared by several instances: tasks are then claimed from it, not queued from memory. */
    private final boolean shared;
    private final Claimer claimer;
    private final Instant createdAt = Instant.now();
    /** Shared store: the tasks waiting for a worker in the store, per category. */
    private final StoreQueues storeQueues = new StoreQueues();
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
        this.capacity = new Capacity(settings::capacityFor);
        this.recurring = new RecurringTasks(registry, settings, store, clock, this::fireScheduled);
        this.shared = store.shared();
        this.claimer = shared ? new Claimer(store, this::claimableCategories, this::poolFor, clock,
                storeQueues) : null;
        for (TaskDefinition task : recurring.tasks()) {
            try {
                task.method().bind(json.args(task.name(), List.of(), task.method()::positionalName),
                        json.kwargs(task.name(), Map.of()), json.strict());
            } catch (InvalidTaskArgumentsException ex) {
                throw new InvalidTaskDefinitionException("Recurring task '" + task.name() + "' ("
                        + task.method().describe() + ") must take no arguments besides a TaskContext: "
                        + ex.getMessage());
            }
        }
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
        if (shared) {
            store.attach(new Signals());
        }
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
        unfinished.forEach(task -> capacity.add(task.category(), 1));
        for (LiveTask task : unfinished) {
            if (!task.dependsOn().isEmpty()) {
                registerStored(task);
            }
        }
        for (LiveTask task : unfinished) {
            admit(task);
        }
        if (shared) {
            claimer.start();
        }
        recurring.start(scheduler);
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
        recurring.stop();
        if (shared) {
            claimer.stop();
        }
        scheduler.shutdownNow(); // timers: delayed and RETRY tasks stay so in the store and are due at the next start
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
            if (settings.retentionMode() == TaskEngineSettings.RetentionMode.ARCHIVE) {
                io.gobstopper.tasks.ArchiveResult archived =
                        store.archiveCompletedBefore(now().minus(settings.retention()));
                if (archived.archived() > 0) {
                    log.info("Retention cleanup archived {} tasks that ended more than {} ago to {} files",
                            archived.archived(), settings.retention(), archived.files().size());
                }
                return;
            }
            int deleted = store.deleteCompletedBefore(now().minus(settings.retention()));
            if (deleted > 0) {
                log.info("Retention cleanup deleted {} tasks that ended more than {} ago", deleted, settings.retention());
            }
        } catch (RuntimeException ex) {
            log.warn("Retention cleanup failed; it runs again in {}: {}", settings.cleanupInterval(), ex.getMessage());
        }
    }

    // ---- submitting ----

    /**
     * How often a submit is made again when the store finds its unique key taken by a task submitted at the same
     * moment (on another instance): the next try finds that task and answers it.
     */
    static final int UNIQUE_KEY_ATTEMPTS = 3;

    @Override
    public Submission offer(TaskRequest request) {
        for (int attempt = 1; ; attempt++) {
            Prepared prepared = prepare(request);
            if (prepared.existing() != null) {
                return new Submission(prepared.existing(), false);
            }
            LiveTask task = prepared.task();
            try {
                TaskStore.await(store.insert(List.of(task))); // queued by accepted() once durable
                return new Submission(task.id(), true);
            } catch (UniqueKeyTakenException ex) {
                notStored(List.of(task));
                if (attempt == UNIQUE_KEY_ATTEMPTS) {
                    throw ex;
                }
            } catch (RuntimeException ex) {
                notStored(List.of(task));
                throw ex;
            }
        }
    }

    @Override
    public CompletableFuture<UUID> submitAsync(TaskRequest request) {
        return submitAsync(request, 1);
    }

    private CompletableFuture<UUID> submitAsync(TaskRequest request, int attempt) {
        Prepared prepared = prepare(request);
        if (prepared.existing() != null) {
            return CompletableFuture.completedFuture(prepared.existing());
        }
        LiveTask task = prepared.task();
        return store.insert(List.of(task)).handle((stored, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(task.id());
            }
            notStored(List.of(task));
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof UniqueKeyTakenException && attempt < UNIQUE_KEY_ATTEMPTS) {
                return submitAsync(request, attempt + 1);
            }
            return CompletableFuture.<UUID>failedFuture(cause);
        }).thenCompose(next -> next);
    }

    @Override
    public List<UUID> submitAll(List<TaskRequest> requests) {
        return submitBatch(requests, false);
    }

    @Override
    public List<UUID> submitChain(List<TaskRequest> requests) {
        return submitBatch(requests, true);
    }

    /** Checks and claims every request, then stores the new tasks in one transaction; on any failure, none. */
    private List<UUID> submitBatch(List<TaskRequest> requests, boolean chained) {
        for (int attempt = 1; ; attempt++) {
            try {
                return submitBatchOnce(requests, chained);
            } catch (UniqueKeyTakenException ex) {
                if (attempt == UNIQUE_KEY_ATTEMPTS) {
                    throw ex;
                }
            }
        }
    }

    private List<UUID> submitBatchOnce(List<TaskRequest> requests, boolean chained) {
        ensureRunning();
        if (requests == null || requests.isEmpty()) {
            throw new InvalidTaskArgumentsException("A batch needs at least one task");
        }
        List<UUID> ids = new ArrayList<>(requests.size());
        List<LiveTask> created = new ArrayList<>();
        Map<UUID, LiveTask> batch = new java.util.HashMap<>();
        try {
            for (int i = 0; i < requests.size(); i++) {
                TaskRequest request = requests.get(i);
                if (request == null) {
                    throw new BatchItemException(i, "?", new InvalidTaskArgumentsException("the request is null"));
                }
                if (chained && i > 0) {
                    request = request.withDependsOn(List.of(ids.get(i - 1)));
                }
                Prepared prepared;
                try {
                    prepared = prepare(request, batch);
                } catch (TaskException ex) {
                    throw new BatchItemException(i, request.name(), ex);
                }
                if (prepared.existing() != null) {
                    ids.add(prepared.existing());
                } else {
                    ids.add(prepared.task().id());
                    created.add(prepared.task());
                    batch.put(prepared.task().id(), prepared.task());
                }
            }
            if (!created.isEmpty()) {
                TaskStore.await(store.insert(created, true));
            }
        } catch (RuntimeException ex) {
            notStored(created);
            throw ex;
        }
        return ids;
    }

    /** A checked request: the task to store, or the id of the unfinished task that holds its unique key. */
    private record Prepared(LiveTask task, UUID existing) {}

    private Prepared prepare(TaskRequest request) {
        return prepare(request, Map.of());
    }

    /**
     * Checks a request and reserves what the new task needs: its unique key, room in its category, its place among
     * the tasks waiting for parents. Undone by {@link #notStored} if the task is not stored after all.
     *
     * @param batch tasks of the same batch, not stored yet, that the request may depend on
     */
    private Prepared prepare(TaskRequest request, Map<UUID, LiveTask> batch) {
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
        Instant now = now();
        Instant runAt = runAt(name, request, now);
        Duration timeout = request.timeout() != null ? request.timeout() : definition.timeout();
        if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
            throw new InvalidTaskArgumentsException("Task '" + name + "': timeout must be more than zero, got " + timeout);
        }
        String uniqueKey = request.uniqueKey();
        if (uniqueKey != null && (uniqueKey.isBlank() || uniqueKey.length() > MAX_UNIQUE_KEY)) {
            throw new InvalidTaskArgumentsException("Task '" + name + "': uniqueKey must be 1-" + MAX_UNIQUE_KEY
                    + " characters, got " + (uniqueKey.isBlank() ? "a blank one" : uniqueKey.length()));
        }
        Parents parents = parents(name, request.dependsOn(), batch);
        ArrayNode args = json.args(name, request.args(), definition.method()::positionalName);
        ObjectNode kwargs = json.kwargs(name, request.kwargs());
        Object[] bound = definition.method().bind(args, kwargs, json.strict());
        String argsText = json.text(args);
        String kwargsText = json.text(kwargs);
        int size = argsText.length() + kwargsText.length();
        if (size > StoredText.MAX_ARGUMENTS) {
            throw new TaskArgumentsTooLargeException("Task '" + name + "': its arguments take "
                    + size + " characters as JSON, more than the " + StoredText.MAX_ARGUMENTS + " a task may carry; "
                    + "keep large data elsewhere (a file, a table) and pass a reference to it");
        }
        LiveTask task = LiveTask.submitted(ids.next(now.toEpochMilli()), name, category, priority, maxRetries,
                argsText, kwargsText, now, runAt, List.copyOf(new java.util.LinkedHashSet<>(
                        request.dependsOn())), uniqueKey, timeout);
        task.prepareArguments(bound);
        Optional<TaskInfo> holder = store.claimUniqueKey(task);
        if (holder.isPresent()) {
            return new Prepared(null, holder.get().id());
        }
        if (shared) {
            return new Prepared(task, null); // the shared store holds the waiting tasks and their parents
        }
        try {
            capacity.acquire(category, 1);
        } catch (RuntimeException ex) {
            store.releaseUniqueKey(task);
            throw ex;
        }
        if (!parents.live().isEmpty()) {
            dependencies.register(task, parents.live(), null);
        }
        return new Prepared(task, null);
    }

    /** The longest unique key accepted. */
    static final int MAX_UNIQUE_KEY = 200;

    private Instant runAt(String name, TaskRequest request, Instant now) {
        if (request.delay() != null && request.runAt() != null) {
            throw new InvalidTaskArgumentsException("Task '" + name + "': give a delay or a runAt, not both");
        }
        if (request.delay() != null) {
            if (request.delay().isNegative()) {
                throw new InvalidTaskArgumentsException("Task '" + name + "': delay must not be negative, got "
                        + request.delay());
            }
            return request.delay().isZero() ? null : now.plus(request.delay()).truncatedTo(ChronoUnit.MICROS);
        }
        Instant runAt = request.runAt();
        return runAt == null || !runAt.isAfter(now) ? null : runAt.truncatedTo(ChronoUnit.MICROS);
    }

    /** A new task's parents that are still unfinished (held in memory). */
    private record Parents(List<LiveTask> live) {}

    /**
     * Resolves the parents a new task names: each must exist and must not have failed or been cancelled. Those that
     * succeeded need no waiting.
     */
    private Parents parents(String name, List<UUID> parentIds, Map<UUID, LiveTask> batch) {
        List<LiveTask> live = new ArrayList<>();
        for (UUID parentId : new java.util.LinkedHashSet<>(parentIds)) {
            LiveTask parent = batch.containsKey(parentId) ? batch.get(parentId) : store.tracked(parentId);
            TaskStatus status;
            if (parent != null) {
                status = parent.status();
            } else {
                status = store.find(parentId).map(TaskInfo::status).orElseThrow(() -> new InvalidTaskArgumentsException(
                        "Task '" + name + "': dependsOn names task " + parentId + ", which does not exist; give ids of"
                                + " submitted tasks"));
            }
            if (status == TaskStatus.FAILED || status == TaskStatus.CANCELLED) {
                throw new InvalidTaskArgumentsException("Task '" + name + "': it depends on task " + parentId
                        + ", which is " + status + " and so can never succeed; retry that task first");
            }
            if (parent != null && status != TaskStatus.SUCCESS) {
                live.add(parent);
            }
        }
        return new Parents(live);
    }

    /** Undoes {@link #prepare} for tasks that were not stored (the store gives up their unique keys itself). */
    private void notStored(List<LiveTask> tasks) {
        if (shared) {
            return;
        }
        for (LiveTask task : tasks) {
            store.releaseUniqueKey(task);
            capacity.release(task.category());
            dependencies.forget(task);
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
                log.warn("Task {} ({}) depends on task {}, which no longer exists; it is taken as succeeded",
                        task.id(), task.name(), parentId);
            } else if (stored.get().status() != TaskStatus.SUCCESS && reason == null) {
                reason = Dependencies.reason(parentId, stored.get().name(), stored.get().status());
            }
        }
        dependencies.register(task, live, reason);
    }

    /** Tasks put back to PENDING by hand: unfinished again, and waiting for their parents again. */
    private void requeue(List<LiveTask> tasks) {
        if (shared) {
            accepted(tasks);
            return;
        }
        for (LiveTask task : tasks) {
            capacity.add(task.category(), 1);
            if (!task.dependsOn().isEmpty()) {
                registerStored(task);
            }
        }
        accepted(tasks);
    }

    /** Queues tasks that are stored and ready: just submitted (told by the store once committed) or retried. */
    private void accepted(List<LiveTask> tasks) {
        for (LiveTask task : tasks) {
            emit(TaskEventType.SUBMITTED, task); // before a worker can take it, so listeners hear SUBMITTED first
        }
        if (state != State.RUNNING) {
            return; // stopping: they stay PENDING in the store for the next start
        }
        if (shared) {
            Instant now = now();
            for (LiveTask task : tasks) {
                poolFor(task.category()); // its category is claimed for from now on, also when no task declares it
                storeQueues.submitted(task, now);
                wakeWhenDue(task); // claimed by whichever instance has a worker free first
            }
            return;
        }
        boolean plain = true;
        for (LiveTask task : tasks) {
            if (!task.dependsOn().isEmpty() || task.runAt() != null) {
                plain = false;
                break;
            }
        }
        if (!plain) {
            tasks.forEach(this::admit);
            return;
        }
        if (tasks.size() == 1) {
            poolFor(tasks.get(0).category()).enqueue(tasks);
            return;
        }
        Map<String, List<LiveTask>> byCategory = new java.util.LinkedHashMap<>();
        tasks.forEach(task -> byCategory.computeIfAbsent(task.category(), category -> new ArrayList<>()).add(task));
        byCategory.forEach((category, batch) -> poolFor(category).enqueue(batch));
    }

    /** A stored task: runs when due, once its parents have succeeded; cancelled if one of them did not. */
    private void admit(LiveTask task) {
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
        Instant now = now();
        if (due != null && due.isAfter(now)) {
            scheduleRun(task, Duration.between(now, due));
        } else {
            poolFor(task.category()).enqueue(List.of(task));
        }
    }

    /** A task ended: its room in the category is free, and the tasks waiting for it are released or cancelled. */
    private void ended(LiveTask task) {
        if (shared) {
            claimer.wake(); // a dependant may be ready (the store cancels those of a failed parent)
            return;
        }
        capacity.release(task.category());
        List<Dependencies.Decision> decisions = dependencies.ended(task, task.status());
        for (Dependencies.Decision decision : decisions) {
            if (decision.release()) {
                if (state == State.RUNNING) {
                    dispatch(decision.task());
                }
            } else {
                cancelDependant(decision.task(), decision.cancelReason());
            }
        }
    }

    private void cancelDependant(LiveTask task, String reason) {
        if (store.markCancelled(task, reason, now())) {
            log.info("Task {} ({}) {}", task.id(), task.name(), reason);
            emit(TaskEventType.CANCELLED, task);
            ended(task);
        }
    }

    /** Stores a recurring task's run for one fire time, once, and queues it. */
    private boolean fireScheduled(TaskDefinition definition, Instant fireTime) {
        if (state != State.RUNNING) {
            return false;
        }
        Instant now = now();
        LiveTask task = LiveTask.submitted(ids.next(now.toEpochMilli()), definition.name(), definition.category(),
                definition.priority(), definition.maxRetries(), "[]", "{}", now, fireTime, List.of(), null,
                definition.timeout()); // runAt = the fire time it stands for: due at once
        if (!shared) {
            capacity.add(definition.category(), 1);
        }
        boolean stored;
        try {
            stored = store.insertScheduled(task, definition.name(), fireTime);
        } catch (RuntimeException ex) {
            if (!shared) {
                capacity.release(definition.category());
            }
            throw ex;
        }
        if (!stored) {
            if (!shared) {
                capacity.release(definition.category());
            }
            return false;
        }
        accepted(List.of(task));
        return true;
    }

    @Override
    public List<ScheduleInfo> schedules() {
        ensureRunning();
        return recurring.list();
    }

    @Override
    public ScheduleInfo pauseSchedule(String name) {
        ensureRunning();
        return recurring.pause(name);
    }

    @Override
    public ScheduleInfo resumeSchedule(String name) {
        ensureRunning();
        return recurring.resume(name);
    }

    @Override
    public UUID triggerSchedule(String name) {
        ensureRunning();
        return submit(TaskRequest.of(recurring.task(name).name()));
    }

    private CategoryPool poolFor(String category) {
        return pools.computeIfAbsent(category, name -> new CategoryPool(name, settings.workersFor(name),
                settings.priorityAging(), settings.rateFor(name), this::run));
    }

    // ---- running ----

    /** Runs one task on the calling worker thread. */
    private void run(LiveTask task) {
        Optional<TaskDefinition> found = registry.find(task.name());
        if (found.isEmpty()) {
            if (store.markRejected(task, "No task named '" + task.name() + "' is registered in this application "
                    + "(renamed or removed?); retry it once the task exists again", now())) {
                emit(TaskEventType.FAILED, task);
                ended(task);
            }
            return;
        }
        TaskDefinition definition = found.get();
        int attempt = task.retryCount() + 1;
        RunningTaskContext context = new RunningTaskContext(task, attempt, this, Thread.currentThread());
        runs.put(task.id(), context); // before it starts, so a cancel that sees it STARTED can interrupt it
        try {
            if (!store.markStarted(task, now())) {
                return; // cancelled while it waited
            }
            emit(TaskEventType.STARTED, task);
            runStarted(task, definition, context);
        } finally {
            runs.remove(task.id(), context);
            if (shared) {
                claimer.wake(); // this worker is free for the next task
            }
        }
    }

    private void runStarted(LiveTask task, TaskDefinition definition, RunningTaskContext context) {
        Duration timeout = task.timeout();
        ScheduledFuture<?> timer = null;
        if (timeout != null) {
            try {
                timer = scheduler.schedule(() -> {
                    context.timeOut();
                    scheduleAbandonIfStuck(task, definition, context);
                }, timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException stopping) {
                // shutting down: the shutdown timeout bounds the run
            }
        }
        Object result = null;
        Throwable failure = null;
        boolean badArguments = false;
        try {
            Object[] arguments = task.takePreparedArguments();
            if (arguments == null) {
                arguments = definition.method().bind(json.read(task.args()), json.read(task.kwargs()), json.strict());
            }
            result = definition.method().invoke(arguments, context);
            if (result instanceof CompletionStage<?> stage) {
                result = awaitResult(stage);
            }
        } catch (InvalidTaskArgumentsException ex) {
            failure = ex;
            badArguments = true;
        } catch (Throwable ex) {
            failure = ex;
        } finally {
            context.finish();
            if (timer != null) {
                timer.cancel(false);
            }
        }
        Thread.interrupted(); // a cancel or timeout interrupt has done its work
        if (context.abandoned()) {
            log.warn("Task {} ({}) returned at last, long after its timeout; its outcome was recorded already and this "
                    + "one is dropped", task.id(), task.name());
            return;
        }
        if (stopIfCancelled(task, failure)) {
            return;
        }
        if (context.timedOut()) {
            finish(task, definition, new TaskTimeoutException(task.name(), timeout, failure), false);
            return;
        }
        if (failure != null) {
            finish(task, definition, failure, badArguments);
            return;
        }
        String resultJson;
        try {
            resultJson = result == null ? null : StoredText.result(json.write(result));
        } catch (JacksonException ex) {
            finish(task, definition, new IllegalStateException("The task returned a " + result.getClass().getName()
                    + " that cannot be written as JSON: " + ex.getOriginalMessage(), ex), true);
            return;
        }
        if (store.markSucceeded(task, resultJson, now())) {
            emit(TaskEventType.SUCCEEDED, task);
            ended(task);
        } else {
            stopIfCancelled(task, null); // a cancel request came in just before: it wins
        }
    }

    /**
     * After a timeout's interrupt, gives the run {@link #ABANDON_AFTER} to stop. A run still going then ignores
     * interrupts: it is recorded as timed out (a failed attempt), and its worker thread is left to it while a new
     * worker takes its place, so a task that never returns cannot hold a worker, or the task, for ever.
     */
    private void scheduleAbandonIfStuck(LiveTask task, TaskDefinition definition, RunningTaskContext context) {
        try {
            scheduler.schedule(() -> {
                if (!context.abandon()) {
                    return; // it stopped
                }
                log.error("Task {} ({}) did not stop within {} of being interrupted at its timeout of {}; it is "
                        + "recorded as timed out, and worker thread {} is abandoned to it (a new worker takes its "
                        + "place)", task.id(), task.name(), ABANDON_AFTER, task.timeout(), context.worker().getName());
                poolFor(task.category()).abandon(context.worker());
                finish(task, definition, new TaskTimeoutException(task.name(), task.timeout(), ABANDON_AFTER), false);
            }, ABANDON_AFTER.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            // shutting down: the shutdown timeout bounds the run
        }
    }

    /** How long a run that timed out gets to stop after its interrupt before its worker thread is abandoned. */
    static final Duration ABANDON_AFTER = Duration.ofSeconds(1);

    /** Ends a run that was asked to stop as CANCELLED; returns whether it was. */
    private boolean stopIfCancelled(LiveTask task, Throwable failure) {
        if (!task.cancelRequested()) {
            return false;
        }
        String reason = "Cancelled while running" + (failure == null ? "" : "; it stopped with " + describe(failure));
        if (store.markStopped(task, reason, now())) {
            log.info("Task {} ({}) stopped after a cancel request", task.name(), task.id());
            emit(TaskEventType.CANCELLED, task);
            ended(task);
        }
        return true;
    }

    private static Object awaitResult(CompletionStage<?> stage) throws Throwable {
        CompletableFuture<?> future = stage.toCompletableFuture();
        try {
            return future.get();
        } catch (ExecutionException ex) {
            throw ex.getCause() != null ? ex.getCause() : ex;
        } catch (InterruptedException ex) {
            future.cancel(true); // cancelled or timed out: stop waiting, and tell the work
            throw ex;
        } catch (CancellationException ex) {
            throw ex;
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
                ended(task);
            } else {
                stopIfCancelled(task, failure);
            }
            return;
        }
        Duration delay = settings.retryFor(task.category()).delayBefore(retries + 1);
        if (store.markFailed(task, error, now, now.plus(delay))) {
            log.info("Task {} ({}) failed, retry {} of {} in {}: {}", task.name(), task.id(), retries + 1,
                    task.maxRetries(), delay, error);
            emit(TaskEventType.RETRY, task); // before the timer can start the next run
            if (shared) {
                wakeWhenDue(task); // any instance may run the retry; this one looks when it is due
            } else {
                scheduleRun(task, delay);
            }
        } else {
            stopIfCancelled(task, failure);
        }
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return StoredText.error(failure.getClass().getName() + (message == null ? "" : ": " + message));
    }

    /** Queues the task once the delay has passed: one timer thread for all delayed and retried tasks. */
    private void scheduleRun(LiveTask task, Duration delay) {
        try {
            scheduler.schedule(() -> {
                if (state != State.RUNNING) {
                    return;
                }
                Instant due = task.runAt();
                Instant now = now();
                if (due != null && due.isAfter(now) && task.status() != TaskStatus.STARTED) {
                    scheduleRun(task, Duration.between(now, due)); // the wall clock was set back meanwhile
                } else {
                    poolFor(task.category()).enqueue(List.of(task));
                }
            }, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            // shutting down: the task stays PENDING or RETRY in the store and is due at the next start
        }
    }


    /** Shared store: looks for work now, or once the task is due. */
    private void wakeWhenDue(LiveTask task) {
        Instant due = task.runAt();
        Instant now = now();
        if (due == null || !due.isAfter(now)) {
            claimer.wake();
            return;
        }
        try {
            scheduler.schedule(claimer::wake, Duration.between(now, due).toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            // shutting down: another instance, or the next start, runs it
        }
    }

    /**
     * Shared store: the categories this instance claims for: those of its tasks, those configured, and those with
     * tasks waiting in the store (a category any instance submitted to).
     */
    private Collection<String> claimableCategories() {
        Set<String> categories = new TreeSet<>(pools.keySet());
        categories.addAll(storeQueues.categories());
        registry.definitions().forEach(definition -> categories.add(definition.category()));
        categories.addAll(settings.categories().keySet());
        return categories;
    }

    /** What a shared store tells this engine. */
    private final class Signals implements SharedStoreSignals {

        @Override
        public void workAvailable() {
            claimer.wake();
        }

        @Override
        public void cancelRequested(UUID id) {
            if (store.tracked(id) == null || state != State.RUNNING) {
                return;
            }
            try {
                cancel(id); // a run in progress is interrupted; a task claimed but not started ends CANCELLED
            } catch (TaskException ex) {
                log.debug("Task {} could not be cancelled here: {}", id, ex.getMessage());
            }
        }

        @Override
        public void leaseLost(UUID id) {
            RunningTaskContext run = runs.get(id);
            if (run != null) {
                run.interrupt(); // another instance runs it now; this run's outcome would not be recorded anyway
            }
        }

        @Override
        public boolean wantsRemoteEvents() {
            for (TaskListener listener : listeners) {
                if (listener.wantsRemoteEvents()) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void remoteEvent(TaskEventType type, TaskInfo task) {
            TaskEvent event = new TaskEvent(type, task, clock.instant());
            for (TaskListener listener : listeners) {
                try {
                    if (listener.wantsRemoteEvents()) {
                        listener.onRemoteEvent(event);
                    }
                } catch (RuntimeException ex) {
                    log.warn("Task listener {} failed on {} of task {} (from another instance)", listener, type,
                            task.id(), ex);
                }
            }
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
        LiveTask task = store.tracked(id);
        TaskInfo cancelled = store.cancel(id, now());
        if (cancelled.status() == TaskStatus.STARTED) {
            RunningTaskContext run = runs.get(id);
            if (run != null) {
                run.interrupt();
            }
            log.info("Task {} ({}) is asked to stop; it ends CANCELLED when its method returns", cancelled.name(), id);
            return cancelled;
        }
        CategoryPool pool = pools.get(cancelled.category());
        if (pool != null) {
            pool.remove(id);
        }
        emit(TaskEventType.CANCELLED, cancelled);
        if (task != null) {
            ended(task);
        }
        return cancelled;
    }

    @Override
    public TaskInfo retry(UUID id) {
        ensureRunning();
        LiveTask task = store.retry(id);
        TaskInfo reset = task.snapshot(); // as reset: once queued, a worker may start it at any moment
        requeue(List.of(task));
        return reset;
    }

    @Override
    public BulkRetryResult retryFailed(String category) {
        ensureRunning();
        TaskStore.RetriedTasks retried = store.retryFailed(category, registry.names());
        requeue(retried.tasks());
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
    public io.gobstopper.tasks.TaskAnalytics analytics(Duration since,
            io.gobstopper.tasks.TaskAnalytics.GroupBy groupBy, boolean includeArchive) {
        ensureRunning();
        if (since == null || since.isZero() || since.isNegative()
                || since.compareTo(io.gobstopper.tasks.TaskAnalytics.MAX_SINCE) > 0) {
            throw new IllegalArgumentException("since must be more than zero and at most "
                    + io.gobstopper.tasks.TaskAnalytics.MAX_SINCE.toDays() + " days, got " + since);
        }
        return store.analytics(since, now(), groupBy == null ? io.gobstopper.tasks.TaskAnalytics.GroupBy.NAME
                : groupBy, includeArchive);
    }

    @Override
    public io.gobstopper.tasks.ArchiveResult archive(Duration olderThan) {
        ensureRunning();
        if (olderThan == null || olderThan.isNegative()) {
            throw new IllegalArgumentException("olderThan must be zero or more, got " + olderThan);
        }
        return store.archiveCompletedBefore(now().minus(olderThan));
    }

    @Override
    public void export(TaskFilter filter, io.gobstopper.tasks.ExportFormat format, java.io.OutputStream out)
            throws java.io.IOException {
        ensureRunning();
        store.export(filter == null ? TaskFilter.all() : filter, format, out);
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
        pools.values().forEach(pool -> queues.put(pool.category(), new TaskStats.QueueStats(pool.queued(),
                pool.running(), pool.workers(), pool.oldestWait(), settings.maxWaitFor(pool.category()))));
        if (shared) {
            // tasks wait in the shared store, not here: as the claimer last read it, with this instance's own changes
            Instant now = clock.instant();
            for (String category : storeQueues.categories()) {
                queues.compute(category, (name, stats) -> {
                    TaskStats.QueueStats local = stats != null ? stats : idle(name);
                    Duration waited = storeQueues.oldestWait(name, now);
                    return new TaskStats.QueueStats(local.queued() + (int) Math.min(Integer.MAX_VALUE,
                            storeQueues.count(name)), local.running(), local.workers(),
                            waited.compareTo(local.oldestWait()) > 0 ? waited : local.oldestWait(), local.maxWait());
                });
            }
        }
        return queues;
    }

    private TaskStats.QueueStats idle(String category) {
        return new TaskStats.QueueStats(0, 0, settings.workersFor(category), Duration.ZERO,
                settings.maxWaitFor(category));
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
    public List<NodeInfo> nodes() {
        ensureRunning();
        List<NodeInfo> nodes = store.nodes();
        if (!nodes.isEmpty()) {
            return nodes;
        }
        int running = pools.values().stream().mapToInt(CategoryPool::running).sum();
        return List.of(new NodeInfo(defaultNodeId(), createdAt, clock.instant(), running, true));
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
