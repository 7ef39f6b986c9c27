package io.gobstopper.tasks.store;

import io.gobstopper.tasks.TaskException;
import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskPage;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.TaskStoreException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * Where tasks live, and the judge of every state change: each {@code mark*} call is a guarded transition that
 * either applies or does not, so races such as cancel-versus-start have exactly one winner. The only place SQL
 * lives.
 */
public interface TaskStore extends AutoCloseable {

    /** A short name of the kind of store, e.g. {@code duckdb}. */
    String kind();

    /** Where the store keeps its data, for humans (a file path, a URL). */
    String location();

    /**
     * Opens the store (creating and upgrading its schema) and recovers unfinished tasks: tasks left STARTED by a
     * process that died become PENDING again with the cut-off attempt counted.
     *
     * @param committed told of each batch of newly inserted tasks once it is committed, before their submitters
     *     are released, on the store's writer thread: keep it quick (queue them, don't run them)
     * @return every PENDING and RETRY task, oldest first, for the engine to queue
     */
    List<LiveTask> open(Instant now, Consumer<List<LiveTask>> committed);

    /** Opens the store for tools and tests that only read and write rows. */
    default List<LiveTask> open(Instant now) {
        return open(now, tasks -> {});
    }

    /** Stores new tasks; the future completes once they are committed (and handed to {@code committed}). */
    CompletableFuture<Void> insert(List<LiveTask> tasks);

    /** PENDING or RETRY to STARTED; {@code false} if the task may not start (it was cancelled, say). */
    boolean markStarted(LiveTask task, Instant now);

    /** Records progress of a STARTED task; written unhurried. */
    boolean markProgress(LiveTask task, int percent, String message);

    /** STARTED to SUCCESS with the result as JSON. */
    boolean markSucceeded(LiveTask task, String result, Instant now);

    /** STARTED to FAILED, or to RETRY due at {@code retryAt} when that is not {@code null}. */
    boolean markFailed(LiveTask task, String error, Instant now, Instant retryAt);

    /** PENDING or RETRY to FAILED without running, for a task that cannot run. */
    boolean markRejected(LiveTask task, String error, Instant now);

    /** STARTED back to PENDING, for a run cut off by shutdown; it runs again at the next start. */
    boolean markReleased(LiveTask task);

    /**
     * Cancels a PENDING or RETRY task, durably.
     *
     * @throws io.gobstopper.tasks.TaskNotFoundException if there is no such task
     * @throws io.gobstopper.tasks.TaskStateException if it is running or has ended
     */
    TaskInfo cancel(UUID id, Instant now);

    /**
     * Puts a FAILED or CANCELLED task back to PENDING, durably, with a fresh retry count.
     *
     * @return the task to queue
     * @throws io.gobstopper.tasks.TaskNotFoundException if there is no such task
     * @throws io.gobstopper.tasks.TaskStateException if it is not FAILED or CANCELLED
     */
    LiveTask retry(UUID id);

    /**
     * Puts every FAILED task (of one category, when not {@code null}) whose name is in {@code runnableNames}
     * back to PENDING, durably.
     */
    RetriedTasks retryFailed(String category, Collection<String> runnableNames);

    /**
     * Deletes an ended task.
     *
     * @throws io.gobstopper.tasks.TaskNotFoundException if there is no such task
     * @throws io.gobstopper.tasks.TaskStateException if it has not ended
     */
    void delete(UUID id);

    /** Deletes ended tasks that completed before the cut-off; returns how many. */
    int deleteCompletedBefore(Instant cutoff);

    /** The task, with its live state while it is unfinished. */
    Optional<TaskInfo> find(UUID id);

    /** One page, newest first. */
    TaskPage list(TaskFilter filter);

    /** Counts over every stored task. */
    TaskCounts counts();

    /** The most recently failed tasks, newest first. */
    List<TaskInfo> recentFailures(int limit);

    /** Throws if the store cannot answer a query now. */
    void check();

    /**
     * Waits for a store operation and rethrows its failure: a {@link TaskException} as it is, anything else as a
     * {@link TaskStoreException}.
     */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException ex) {
            if (ex.getCause() instanceof TaskException expected) {
                throw expected;
            }
            throw new TaskStoreException("The task store failed: " + ex.getCause(), ex.getCause());
        }
    }

    /** Writes everything pending and releases the store. */
    @Override
    void close();

    /**
     * Tasks put back to PENDING by a bulk retry.
     *
     * @param tasks the tasks to queue
     * @param totalFailed how many FAILED tasks matched, retried or not
     */
    record RetriedTasks(List<LiveTask> tasks, int totalFailed) {}

    /**
     * Counts over every stored task.
     *
     * @param total all tasks
     * @param byStatus per status, every status present
     * @param byCategory per category
     */
    record TaskCounts(long total, Map<TaskStatus, Long> byStatus, Map<String, Long> byCategory) {}
}
