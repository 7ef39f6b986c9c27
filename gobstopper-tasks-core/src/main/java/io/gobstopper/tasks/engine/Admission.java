package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.BatchItemException;
import io.gobstopper.tasks.InvalidTaskArgumentsException;
import io.gobstopper.tasks.Submission;
import io.gobstopper.tasks.TaskArgumentsTooLargeException;
import io.gobstopper.tasks.TaskException;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskLimits;
import io.gobstopper.tasks.TaskPriority;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.UnknownTaskException;
import io.gobstopper.tasks.store.LiveTask;
import io.gobstopper.tasks.store.TaskStore;
import io.gobstopper.tasks.store.UniqueKeyTakenException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Admits submitted tasks: checks each request against its task's declaration and the limits, binds its arguments,
 * resolves its parents, claims its unique key and its room in the category, and stores it; a task that is not stored
 * after all gives all of that back. Also stores the runs of recurring tasks, once per fire time.
 */
final class Admission {

    /**
     * How often a submit is made again when the store finds its unique key taken by a task submitted at the same
     * moment (on another instance): the next try finds that task and answers it.
     */
    static final int UNIQUE_KEY_ATTEMPTS = 3;

    private final TaskRegistry registry;
    private final TaskStore store;
    private final TaskJson json;
    private final Dispatch dispatch;
    private final EngineState state;
    private final TaskIds ids = new TaskIds();

    Admission(TaskRegistry registry, TaskStore store, TaskJson json, Dispatch dispatch, EngineState state) {
        this.registry = registry;
        this.store = store;
        this.json = json;
        this.dispatch = dispatch;
        this.state = state;
    }

    Submission offer(TaskRequest request) {
        for (int attempt = 1; ; attempt++) {
            Prepared prepared = prepare(request, Map.of());
            if (prepared.existing() != null) {
                return new Submission(prepared.existing(), false);
            }
            LiveTask task = prepared.task();
            try {
                TaskStore.await(store.insert(List.of(task))); // queued once durable (the store tells the engine)
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

    CompletableFuture<UUID> submitAsync(TaskRequest request) {
        return submitAsync(request, 1);
    }

    private CompletableFuture<UUID> submitAsync(TaskRequest request, int attempt) {
        Prepared prepared = prepare(request, Map.of());
        if (prepared.existing() != null) {
            return CompletableFuture.completedFuture(prepared.existing());
        }
        LiveTask task = prepared.task();
        return store.insert(List.of(task))
                .handle((stored, failure) -> {
                    if (failure == null) {
                        return CompletableFuture.completedFuture(task.id());
                    }
                    notStored(List.of(task));
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause()
                            : failure;
                    if (cause instanceof UniqueKeyTakenException && attempt < UNIQUE_KEY_ATTEMPTS) {
                        return submitAsync(request, attempt + 1);
                    }
                    return CompletableFuture.<UUID>failedFuture(cause);
                })
                .thenCompose(next -> next);
    }

    /**
     * Checks and claims every request, then stores the new tasks in one transaction; on any failure, none.
     *
     * @param chained whether each request depends on the one before it
     */
    List<UUID> submitBatch(List<TaskRequest> requests, boolean chained) {
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
        state.ensureRunning();
        if (requests == null || requests.isEmpty()) {
            throw new InvalidTaskArgumentsException("A batch needs at least one task");
        }
        List<UUID> batchIds = new ArrayList<>(requests.size());
        List<LiveTask> created = new ArrayList<>();
        Map<UUID, LiveTask> batch = new HashMap<>();
        try {
            for (int i = 0; i < requests.size(); i++) {
                TaskRequest request = requests.get(i);
                if (request == null) {
                    throw new BatchItemException(i, "?", new InvalidTaskArgumentsException("the request is null"));
                }
                if (chained && i > 0) {
                    request = request.withDependsOn(List.of(batchIds.get(i - 1)));
                }
                Prepared prepared;
                try {
                    prepared = prepare(request, batch);
                } catch (TaskException ex) {
                    throw new BatchItemException(i, request.name(), ex);
                }
                if (prepared.existing() != null) {
                    batchIds.add(prepared.existing());
                } else {
                    batchIds.add(prepared.task().id());
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
        return batchIds;
    }

    /** A checked request: the task to store, or the id of the unfinished task that holds its unique key. */
    private record Prepared(LiveTask task, UUID existing) {}

    /**
     * Checks a request and reserves what the new task needs: its unique key, room in its category, its place among
     * the tasks waiting for parents. Undone by {@link #notStored} if the task is not stored after all.
     *
     * @param batch tasks of the same batch, not stored yet, that the request may depend on
     */
    private Prepared prepare(TaskRequest request, Map<UUID, LiveTask> batch) {
        state.ensureRunning();
        String name = request.name();
        TaskDefinition definition =
                registry.find(name).orElseThrow(() -> new UnknownTaskException(name, registry.names()));
        String category = request.category() != null ? request.category() : definition.category();
        if (request.category() != null && !TaskLimits.isValidCategory(category)) {
            throw new InvalidTaskArgumentsException("Task '" + name + "': " + TaskLimits.categoryRefusal(category));
        }
        TaskPriority priority = request.priority() != null ? request.priority() : definition.priority();
        int maxRetries = request.maxRetries() != null ? request.maxRetries() : definition.maxRetries();
        if (!TaskLimits.isValidMaxRetries(maxRetries)) {
            throw new InvalidTaskArgumentsException("Task '" + name + "': " + TaskLimits.maxRetriesRefusal(maxRetries));
        }
        Instant now = state.now();
        Instant runAt = runAt(name, request, now);
        Duration timeout = request.timeout() != null ? request.timeout() : definition.timeout();
        if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
            throw new InvalidTaskArgumentsException(
                    "Task '" + name + "': timeout must be more than zero, got " + timeout);
        }
        String uniqueKey = request.uniqueKey();
        if (uniqueKey != null && !TaskLimits.isValidUniqueKey(uniqueKey)) {
            throw new InvalidTaskArgumentsException("Task '" + name + "': " + TaskLimits.uniqueKeyRefusal(uniqueKey));
        }
        List<LiveTask> parents = parents(name, request.dependsOn(), batch);
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
        LiveTask task = LiveTask.submitted(
                ids.next(now.toEpochMilli()),
                name,
                category,
                priority,
                maxRetries,
                argsText,
                kwargsText,
                now,
                runAt,
                List.copyOf(new LinkedHashSet<>(request.dependsOn())),
                uniqueKey,
                timeout);
        task.prepareArguments(bound);
        Optional<TaskInfo> holder = store.claimUniqueKey(task);
        if (holder.isPresent()) {
            return new Prepared(null, holder.get().id());
        }
        try {
            dispatch.reserve(task, parents);
        } catch (RuntimeException ex) {
            store.releaseUniqueKey(task);
            throw ex;
        }
        return new Prepared(task, null);
    }

    private static Instant runAt(String name, TaskRequest request, Instant now) {
        if (request.delay() != null && request.runAt() != null) {
            throw new InvalidTaskArgumentsException("Task '" + name + "': give a delay or a runAt, not both");
        }
        if (request.delay() != null) {
            if (request.delay().isNegative()) {
                throw new InvalidTaskArgumentsException(
                        "Task '" + name + "': delay must not be negative, got " + request.delay());
            }
            return request.delay().isZero() ? null : now.plus(request.delay()).truncatedTo(ChronoUnit.MICROS);
        }
        Instant runAt = request.runAt();
        return runAt == null || !runAt.isAfter(now) ? null : runAt.truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Resolves the parents a new task names: each must exist and must not have failed or been cancelled.
     *
     * @return those unfinished and held in memory, which the new task waits for
     */
    private List<LiveTask> parents(String name, List<UUID> parentIds, Map<UUID, LiveTask> batch) {
        List<LiveTask> live = new ArrayList<>();
        for (UUID parentId : new LinkedHashSet<>(parentIds)) {
            LiveTask parent = batch.containsKey(parentId) ? batch.get(parentId) : store.tracked(parentId);
            TaskStatus status;
            if (parent != null) {
                status = parent.status();
            } else {
                status = store.find(parentId)
                        .map(TaskInfo::status)
                        .orElseThrow(
                                () -> new InvalidTaskArgumentsException("Task '" + name + "': dependsOn names task "
                                        + parentId + ", which does not exist; give ids of" + " submitted tasks"));
            }
            if (status == TaskStatus.FAILED || status == TaskStatus.CANCELLED) {
                throw new InvalidTaskArgumentsException("Task '" + name + "': it depends on task " + parentId
                        + ", which is " + status + " and so can never succeed; retry that task first");
            }
            if (parent != null && status != TaskStatus.SUCCESS) {
                live.add(parent);
            }
        }
        return live;
    }

    /** Undoes {@link #prepare} for tasks that were not stored. */
    private void notStored(List<LiveTask> tasks) {
        for (LiveTask task : tasks) {
            store.releaseUniqueKey(task);
        }
        dispatch.unreserve(tasks);
    }

    /**
     * Stores a recurring task's run for one fire time, once across restarts and instances.
     *
     * @return the run, or empty when the fire time had its run already (or, on a shared store, the schedule is paused)
     */
    Optional<LiveTask> admitScheduled(TaskDefinition definition, Instant fireTime) {
        Instant now = state.now();
        LiveTask task = LiveTask.submitted(
                ids.next(now.toEpochMilli()),
                definition.name(),
                definition.category(),
                definition.priority(),
                definition.maxRetries(),
                "[]",
                "{}",
                now,
                fireTime,
                List.of(),
                null,
                definition.timeout()); // runAt = the fire time it stands for: due at once
        dispatch.reserveScheduled(task);
        boolean stored;
        try {
            stored = store.insertScheduled(task, definition.name(), fireTime);
        } catch (RuntimeException ex) {
            dispatch.unreserve(List.of(task));
            throw ex;
        }
        if (!stored) {
            dispatch.unreserve(List.of(task));
            return Optional.empty();
        }
        return Optional.of(task);
    }
}
