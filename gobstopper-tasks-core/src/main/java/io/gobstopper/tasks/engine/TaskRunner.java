package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.InvalidTaskArgumentsException;
import io.gobstopper.tasks.TaskTimeoutException;
import io.gobstopper.tasks.event.TaskEventType;
import io.gobstopper.tasks.store.LiveTask;
import io.gobstopper.tasks.store.TaskChange;
import io.gobstopper.tasks.store.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Runs a task on the worker thread that took it: starts it in the store, binds its arguments and invokes its method
 * (awaiting a returned future), bounds the run by its timeout (abandoning a worker whose run ignores the interrupt),
 * and records the outcome: success, a stop after a cancel request, or a failure that is retried after the category's
 * backoff or is final.
 */
final class TaskRunner {

    private static final Logger log = LoggerFactory.getLogger(TaskEngine.class);

    /** How long a run that timed out gets to stop after its interrupt before its worker thread is abandoned. */
    static final Duration ABANDON_AFTER = Duration.ofSeconds(1);

    private final TaskRegistry registry;
    private final TaskStore store;
    private final TaskJson json;
    private final TaskEngineSettings settings;
    private final Events events;
    private final Workers workers;
    private final EngineState state;
    private final ScheduledExecutorService timers;
    private final Dispatch dispatch;
    private final Map<UUID, RunningTaskContext> runs = new ConcurrentHashMap<>();

    TaskRunner(
            TaskRegistry registry,
            TaskStore store,
            TaskJson json,
            TaskEngineSettings settings,
            Events events,
            Workers workers,
            Dispatch dispatch,
            EngineState state,
            ScheduledExecutorService timers) {
        this.registry = registry;
        this.store = store;
        this.json = json;
        this.settings = settings;
        this.events = events;
        this.workers = workers;
        this.dispatch = dispatch;
        this.state = state;
        this.timers = timers;
    }

    /** Runs one task on the calling worker thread. */
    void run(LiveTask task) {
        Optional<TaskDefinition> found = registry.find(task.name());
        if (found.isEmpty()) {
            dispatch.cannotRun(task); // it stays as stored, for an instance that knows it
            return;
        }
        TaskDefinition definition = found.get();
        int attempt = task.retryCount() + 1;
        RunningTaskContext context = new RunningTaskContext(task, attempt, this, Thread.currentThread());
        runs.put(task.id(), context); // before it starts, so a cancel that sees it STARTED can interrupt it
        try {
            if (!store.apply(task, new TaskChange.Start(state.now()))) {
                return; // cancelled while it waited
            }
            events.emit(TaskEventType.STARTED, task);
            runStarted(task, definition, context);
        } finally {
            runs.remove(task.id(), context);
            dispatch.workerFree(task);
        }
    }

    private void runStarted(LiveTask task, TaskDefinition definition, RunningTaskContext context) {
        Duration timeout = task.timeout();
        ScheduledFuture<?> timer = null;
        if (timeout != null) {
            try {
                timer = timers.schedule(
                        () -> {
                            context.timeOut();
                            abandonIfStuck(task, definition, context);
                        },
                        timeout.toNanos(),
                        TimeUnit.NANOSECONDS);
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
                try {
                    arguments = bindStored(task, definition);
                } catch (InvalidTaskArgumentsException ex) {
                    badArguments = true; // fails at once: a retry would not bind any better
                    throw ex;
                }
            }
            result = definition.method().invoke(arguments, context);
            if (result instanceof CompletionStage<?> stage) {
                result = awaitResult(stage);
            }
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
            log.warn(
                    "Task {} ({}) returned at last, long after its timeout; its outcome was recorded already and this "
                            + "one is dropped",
                    task.id(),
                    task.name());
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
            finish(
                    task,
                    definition,
                    new IllegalStateException(
                            "The task returned a " + result.getClass().getName() + " that cannot be written as JSON: "
                                    + ex.getOriginalMessage(),
                            ex),
                    true);
            return;
        }
        record(task, new TaskChange.Succeed(resultJson, state.now()), null, true, () -> {
            events.emit(TaskEventType.SUCCEEDED, task);
            dispatch.ended(task);
        });
    }

    /**
     * Binds the arguments stored with a task to its method's parameters as they are now, which may have changed since
     * the task was submitted (a deploy in between): arguments that no longer fit fail the task at once, with a message
     * that names the parameter, the stored value and the type expected.
     *
     * @throws InvalidTaskArgumentsException if they do not fit, or are not readable as stored
     */
    private Object[] bindStored(LiveTask task, TaskDefinition definition) {
        JsonNode args;
        JsonNode kwargs;
        try {
            args = json.read(task.args() == null ? "[]" : task.args());
            kwargs = json.read(task.kwargs() == null ? "{}" : task.kwargs());
        } catch (JacksonException ex) {
            throw new InvalidTaskArgumentsException(
                    "Task '" + task.name() + "': its stored arguments are not readable JSON: "
                            + ex.getOriginalMessage(),
                    ex);
        }
        if (!args.isArray() || !kwargs.isObject()) {
            throw new InvalidTaskArgumentsException("Task '" + task.name() + "': its stored arguments must be a JSON "
                    + "array (args) and a JSON object (kwargs), got " + args.getNodeType() + " and "
                    + kwargs.getNodeType());
        }
        try {
            return definition.method().bind(args, kwargs, json.strict());
        } catch (InvalidTaskArgumentsException ex) {
            throw new InvalidTaskArgumentsException(
                    "The arguments stored with the task no longer fit its method "
                            + definition.method().describe()
                            + " (were its parameters changed after it was submitted?): " + ex.getMessage(),
                    ex);
        }
    }

    /**
     * Records a change of a run's task and, once the store holds it, runs {@code then} (events, dependants, the
     * task's room): at once for most stores, after a shared commit for a store that writes many tasks at a time, while
     * this worker goes on. An outcome turned away because a cancel request came in just before is, when
     * {@code stopWhenRefused}, recorded as a stop instead: the request wins.
     */
    private void record(LiveTask task, TaskChange change, Throwable failure, boolean stopWhenRefused, Runnable then) {
        CategoryPool pool = workers.pool(task.category());
        pool.recordingStarted();
        store.applyAsync(task, change).whenComplete((applied, error) -> {
            pool.recordingEnded();
            if (error != null) {
                log.warn(
                        "Task {} ({}): could not store its {}; the store keeps the task as it last stored it: {}",
                        task.id(),
                        task.name(),
                        change.getClass().getSimpleName().toLowerCase(Locale.ROOT),
                        error.toString());
            } else if (applied) {
                then.run();
            } else if (stopWhenRefused) {
                stopIfCancelled(task, failure);
            }
        });
    }

    /**
     * After a timeout's interrupt, gives the run {@link #ABANDON_AFTER} to stop. A run still going then ignores
     * interrupts: it is recorded as timed out (a failed attempt), and its worker thread is left to it while a new
     * worker takes its place, so a task that never returns cannot hold a worker, or the task, for ever.
     */
    private void abandonIfStuck(LiveTask task, TaskDefinition definition, RunningTaskContext context) {
        try {
            timers.schedule(
                    () -> {
                        if (!context.abandon()) {
                            return; // it stopped
                        }
                        log.error(
                                "Task {} ({}) did not stop within {} of being interrupted at its timeout of {}; it is "
                                        + "recorded as timed out, and worker thread {} is abandoned to it (a new worker takes its "
                                        + "place)",
                                task.id(),
                                task.name(),
                                ABANDON_AFTER,
                                task.timeout(),
                                context.worker().getName());
                        workers.pool(task.category()).abandon(context.worker());
                        finish(
                                task,
                                definition,
                                new TaskTimeoutException(task.name(), task.timeout(), ABANDON_AFTER),
                                false);
                    },
                    ABANDON_AFTER.toNanos(),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            // shutting down: the shutdown timeout bounds the run
        }
    }

    /** Ends a run that was asked to stop as CANCELLED; returns whether it was. */
    private boolean stopIfCancelled(LiveTask task, Throwable failure) {
        if (!task.cancelRequested()) {
            return false;
        }
        String reason = "Cancelled while running" + (failure == null ? "" : "; it stopped with " + describe(failure));
        record(task, new TaskChange.Stop(reason, state.now()), null, false, () -> {
            log.info("Task {} ({}) stopped after a cancel request", task.name(), task.id());
            events.emit(TaskEventType.CANCELLED, task);
            dispatch.ended(task);
        });
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

    /** The retry decision: a failure is final when it fails fast or no retry is left; else the task waits in RETRY. */
    private void finish(LiveTask task, TaskDefinition definition, Throwable failure, boolean failFast) {
        String error = describe(failure);
        int retries = task.retryCount();
        Instant now = state.now();
        if (failFast || definition.failsFast(failure) || retries >= task.maxRetries()) {
            record(task, new TaskChange.Fail(error, now, null), failure, true, () -> {
                log.warn(
                        "Task {} ({}) failed{}",
                        task.name(),
                        task.id(),
                        retries > 0 ? " after " + retries + " retries" : "",
                        failure);
                events.emit(TaskEventType.FAILED, task);
                dispatch.ended(task);
            });
            return;
        }
        Duration delay = settings.retryFor(task.category()).delayBefore(retries + 1);
        record(task, new TaskChange.Fail(error, now, now.plus(delay)), failure, true, () -> {
            log.info(
                    "Task {} ({}) failed, retry {} of {} in {}: {}",
                    task.name(),
                    task.id(),
                    retries + 1,
                    task.maxRetries(),
                    delay,
                    error);
            events.emit(TaskEventType.RETRY, task); // before the timer can start the next run
            dispatch.retryLater(task, delay);
        });
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return StoredText.error(failure.getClass().getName() + (message == null ? "" : ": " + message));
    }

    /** Records progress reported by a running task. */
    void progress(LiveTask task, int percent, String message) {
        record(
                task,
                new TaskChange.Progress(percent, message),
                null,
                false,
                () -> events.emit(TaskEventType.PROGRESS, task));
    }

    /** Interrupts the run of a task, if it runs here. */
    void interrupt(UUID id) {
        RunningTaskContext run = runs.get(id);
        if (run != null) {
            run.interrupt();
        }
    }

    /**
     * At shutdown, after the shutdown timeout: the tasks still running are put back to PENDING for the next start,
     * and their threads interrupted.
     */
    void releaseRunning() {
        workers.runningTasks().forEach((thread, task) -> {
            if (store.apply(task, new TaskChange.Release())) {
                log.warn(
                        "Task {} ({}) did not finish within the shutdown timeout of {}; it is interrupted and "
                                + "runs again at the next start",
                        task.id(),
                        task.name(),
                        settings.shutdownTimeout());
            }
            thread.interrupt();
        });
    }
}
