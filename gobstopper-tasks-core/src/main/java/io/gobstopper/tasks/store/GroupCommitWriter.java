package io.gobstopper.tasks.store;

import io.gobstopper.tasks.TaskException;
import io.gobstopper.tasks.TaskQueueUnavailableException;
import io.gobstopper.tasks.TaskStoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a store's changes on one thread, many at a time, in shared transactions.
 *
 * <p>Two kinds of work arrive. <em>Urgent</em> work has a caller waiting: inserts (a submit returns only once its
 * task is durable: journaled when the store has a journal, else committed), commands and flushes. It is written at once, together with whatever else arrived while the
 * previous transaction committed. <em>Deferred</em> work is a task's changed state (started, progress, succeeded,
 * failed), and the rows of journaled tasks, which are durable already: it is written within the write delay, or as
 * soon as {@link #DEFERRED_BATCH} tasks wait, or before the next command or flush (which act on the stored state),
 * whichever comes first; a task that changed several times meanwhile is written once, as it is now. DuckDB pays per statement, not per row, so deferring keeps an insert's transaction short when the system is
 * idle and turns state changes into large, cheap batches when it is busy (River's batch completer does the same).
 * A crash can lose only deferred changes younger than the write delay; the task then runs again, which
 * at-least-once execution allows.
 *
 * <p>A failed transaction is rolled back and its parts are tried again one by one, so one bad part fails alone: a
 * failed insert fails only its submitters, a failed command only its caller, and failed updates stay pending and
 * are tried again after a pause. Nothing is half-written.
 *
 * <p>Submitters are released by a second thread, the completer, one hand-off per batch: what callers chain on an
 * insert's future runs there, never on the writer, and a batch of thousands costs one wake-up, not thousands.
 *
 * <p>The writer knows nothing of SQL: a {@link BatchSink} supplies the transactions.
 *
 * @param <C> the store's transaction handle, given to commands
 */
public final class GroupCommitWriter<C> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

    /** Most urgent operations taken into one transaction. */
    static final int MAX_BATCH = 8192;

    /** Changed tasks that are written at once, without waiting out the write delay. */
    static final int DEFERRED_BATCH = 4096;

    /**
     * Journaled tasks whose rows are written at once, without waiting out the write delay. Waiting pays: a task that
     * ended meanwhile goes in as one row in its final state instead of a row and an update, so this only bounds the
     * work of one transaction.
     */
    static final int JOURNALED_BATCH = 65_536;

    private static final long MAX_PAUSE_MILLIS = 2000;

    /** A store's side of the writer: transactions and the two batch statements. */
    public interface BatchSink<C> {

        /** Begins a transaction. */
        C begin() throws Exception;

        /** Inserts new rows. */
        void insert(C tx, List<TaskWrite> rows) throws Exception;

        /**
         * Makes new rows durable ahead of the transaction that stores them, for a store with a faster way than its
         * transactions (a journal). The writer then releases their submitters at once and keeps trying the
         * transaction until it succeeds. Returns {@code false} for a store without one: rows are then durable only
         * once their transaction commits.
         */
        default boolean journal(List<TaskWrite> rows) throws Exception {
            return false;
        }

        /**
         * Updates rows whose stored status still equals {@link TaskWrite#expectedStatus()}.
         *
         * @return the ids of rows that were not updated because the guard did not match
         */
        Set<UUID> update(C tx, List<TaskWrite> rows) throws Exception;

        void commit(C tx) throws Exception;

        /** Rolls back, quietly: the writer already handles the failure that led here. */
        void rollback(C tx);
    }

    /** Work run inside the writer's transaction. */
    @FunctionalInterface
    public interface Work<C, T> {
        T apply(C tx) throws Exception;
    }

    private record Insert(List<LiveTask> tasks, CompletableFuture<Void> done) {}

    private record Command<C, T>(Work<C, T> work, Consumer<T> undo, CompletableFuture<T> done) {}

    private record Barrier(CompletableFuture<Void> done) {}

    private static final Object STOP = new Object();

    /** Wakes the writer to write deferred changes early. */
    private static final Object NUDGE = new Object();

    private final BatchSink<C> sink;
    private final Consumer<List<LiveTask>> onInserted;
    private final Consumer<LiveTask> onDetached;
    private final long delayNanos;
    private final LinkedBlockingQueue<Object> urgent = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<LiveTask> deferred = new ConcurrentLinkedQueue<>();
    private final AtomicInteger deferredCount = new AtomicInteger();
    private final Thread thread;
    private final ExecutorService completer;
    /** Tasks whose rows are journaled (their submitters released) but not yet stored by a transaction. */
    private final List<LiveTask> journaled = new ArrayList<>();
    /** Their rows as taken for the transaction under way. */
    private final List<TaskWrite> journaledRows = new ArrayList<>();
    private volatile boolean closed;
    private long pauseMillis;

    /**
     * @param sink the store's transactions
     * @param onInserted told of each committed batch of new tasks, on the writer thread, before their submitters
     *     are released
     * @param onDetached told when a task's final state is stored, so the store can stop tracking it
     * @param writeDelay how long a task's changed state may wait before it is written
     * @param threadName the writer thread's name
     */
    public GroupCommitWriter(
            BatchSink<C> sink,
            Consumer<List<LiveTask>> onInserted,
            Consumer<LiveTask> onDetached,
            Duration writeDelay,
            String threadName) {
        if (writeDelay.isNegative() || writeDelay.isZero()) {
            throw new IllegalArgumentException("the write delay must be more than zero, got " + writeDelay);
        }
        this.sink = sink;
        this.onInserted = onInserted;
        this.onDetached = onDetached;
        this.delayNanos = writeDelay.toNanos();
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        this.completer = Executors.newSingleThreadExecutor(runnable -> {
            Thread completions = new Thread(runnable, threadName + "-completer");
            completions.setDaemon(true);
            return completions;
        });
    }

    public void start() {
        thread.start();
    }

    /** Inserts tasks; the future completes once they are committed. */
    public CompletableFuture<Void> insert(List<LiveTask> tasks) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!offer(new Insert(tasks, done))) {
            done.completeExceptionally(closedException());
        }
        return done;
    }

    /** Writes the task's new state within the write delay; {@link #flush()} writes it at once. */
    public void changed(LiveTask task) {
        if (closed) {
            log.warn("Task {} changed after the store closed; the change is not stored", task.id());
            return;
        }
        if (task.queueForWrite()) {
            deferred.add(task);
            if (deferredCount.incrementAndGet() == DEFERRED_BATCH) {
                urgent.add(NUDGE);
            }
        }
    }

    /**
     * Runs work in a writer transaction; the future completes after the commit. If the transaction fails after
     * the work ran, {@code undo} is given its result.
     */
    public <T> CompletableFuture<T> execute(Work<C, T> work, Consumer<T> undo) {
        CompletableFuture<T> done = new CompletableFuture<>();
        if (!offer(new Command<>(work, undo, done))) {
            done.completeExceptionally(closedException());
        }
        return done;
    }

    /** Completes once everything offered or changed before it has been committed (or has failed). */
    public CompletableFuture<Void> flush() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!offer(new Barrier(done))) {
            done.complete(null);
        }
        return done;
    }

    /** Writes what is pending, then stops the writer thread. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        urgent.add(STOP);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
            completer.shutdown();
            completer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean offer(Object op) {
        if (closed) {
            return false;
        }
        urgent.add(op);
        return true;
    }

    private static TaskQueueUnavailableException closedException() {
        return new TaskQueueUnavailableException("The task store is closed: the task system is shutting down");
    }

    private void run() {
        List<Object> ops = new ArrayList<>();
        boolean stopping = false;
        long deferredDue = Long.MAX_VALUE; // when the oldest unwritten change must be written
        while (!stopping) {
            try {
                if (deferredDue == Long.MAX_VALUE && (deferredCount.get() > 0 || !journaled.isEmpty())) {
                    deferredDue = System.nanoTime() + delayNanos;
                }
                long wait = deferredDue == Long.MAX_VALUE ? delayNanos : deferredDue - System.nanoTime();
                Object first = wait > 0 ? urgent.poll(wait, TimeUnit.NANOSECONDS) : urgent.poll();
                if (first != null) {
                    ops.add(first);
                    urgent.drainTo(ops, MAX_BATCH);
                }
                stopping = ops.contains(STOP);
                if (stopping) {
                    urgent.drainTo(ops); // anything that raced in with the close
                }
                boolean due = stopping
                        || first == null // waited a full delay, or the deadline passed
                        || System.nanoTime() - deferredDue >= 0
                        // commands and flushes act on the stored state, so it must be up to date
                        || ops.stream().anyMatch(op -> op instanceof Barrier || op instanceof Command<?, ?>);
                boolean writeChanged = due || deferredCount.get() >= DEFERRED_BATCH;
                // the journaled rows wait for their own triggers only: the longer they wait, the more of their tasks
                // have ended and go in as one final row instead of a row and an update
                boolean writeJournaled = due || journaled.size() >= JOURNALED_BATCH;
                if (writeChanged) {
                    for (LiveTask task; (task = deferred.poll()) != null; ) {
                        deferredCount.decrementAndGet();
                        ops.add(task);
                    }
                }
                if (due) {
                    deferredDue = Long.MAX_VALUE;
                }
                ops.removeIf(op -> op == STOP || op == NUDGE);
                if (!ops.isEmpty() || (writeJournaled && !journaled.isEmpty())) {
                    process(ops, stopping, writeJournaled);
                }
            } catch (InterruptedException ex) {
                // only close() ends the writer; keep writing
            } catch (Throwable ex) {
                log.error("Task writer failed unexpectedly; continuing", ex);
            } finally {
                ops.clear();
            }
        }
    }

    /**
     * @param writeJournaled whether the rows of journaled tasks go in too (they are durable already, so they share the
     *     deferred transactions)
     */
    private void process(List<Object> ops, boolean stopping, boolean writeJournaled) throws InterruptedException {
        List<Insert> inserts = new ArrayList<>();
        Set<LiveTask> changed = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Command<C, Object>> commands = new ArrayList<>();
        List<Barrier> barriers = new ArrayList<>();
        for (Object op : ops) {
            if (op instanceof LiveTask task) {
                changed.add(task);
            } else if (op instanceof Insert insert) {
                inserts.add(insert);
            } else if (op instanceof Barrier barrier) {
                barriers.add(barrier);
            } else {
                @SuppressWarnings("unchecked")
                Command<C, Object> command = (Command<C, Object>) op;
                commands.add(command);
            }
        }
        List<List<TaskWrite>> insertRows = new ArrayList<>(inserts.size());
        for (Insert insert : inserts) {
            List<TaskWrite> rows = new ArrayList<>(insert.tasks().size());
            for (LiveTask task : insert.tasks()) {
                changed.remove(task);
                rows.add(task.takeWrite(true));
            }
            insertRows.add(rows);
        }
        if (!inserts.isEmpty() && journal(inserts, insertRows)) {
            inserts.clear();
            insertRows.clear();
        }
        boolean storeJournaled = writeJournaled && !journaled.isEmpty();
        if (storeJournaled) {
            // their rows go in as they are now, so a task that started, ended or was cancelled since it was
            // journaled needs no update of a row that is not there yet
            journaledRows.clear();
            for (LiveTask task : journaled) {
                changed.remove(task);
                journaledRows.add(task.takeWrite(true));
            }
        }
        List<LiveTask> updated = new ArrayList<>(changed.size());
        List<TaskWrite> updateRows = new ArrayList<>(changed.size());
        for (LiveTask task : changed) {
            TaskWrite write = task.takeWrite(false);
            if (write != null) {
                updated.add(task);
                updateRows.add(write);
            }
        }

        int parts = inserts.size() + commands.size() + (updateRows.isEmpty() ? 0 : 1) + (storeJournaled ? 1 : 0);
        if (parts > 0) {
            Exception failure = writeAll(inserts, insertRows, updated, updateRows, commands, storeJournaled);
            if (failure != null) {
                if (parts == 1) {
                    failParts(inserts, updated, commands, failure, storeJournaled, stopping);
                } else {
                    log.debug("Batch of {} parts failed; writing them one by one", parts, failure);
                    writeEach(inserts, insertRows, updated, updateRows, commands, storeJournaled, stopping);
                }
            }
        }
        for (Barrier barrier : barriers) {
            barrier.done().complete(null);
        }
        if (pauseMillis > 0 && !stopping) {
            Thread.sleep(pauseMillis);
        }
    }

    /**
     * Writes in one transaction; returns the failure, or {@code null} when committed.
     *
     * @param withJournaled whether the journaled rows go in too: they only ever go in all together, so a commit that
     *     stores one stores every journaled row before it
     */
    private Exception writeAll(
            List<Insert> inserts,
            List<List<TaskWrite>> insertRows,
            List<LiveTask> updated,
            List<TaskWrite> updateRows,
            List<Command<C, Object>> commands,
            boolean withJournaled) {
        boolean storesJournaled = withJournaled && !journaled.isEmpty();
        List<TaskWrite> allInserts = new ArrayList<>(storesJournaled ? journaledRows : List.of());
        insertRows.forEach(allInserts::addAll);
        Object[] results = new Object[commands.size()];
        int ran = 0;
        C tx = null;
        try {
            tx = sink.begin();
            if (!allInserts.isEmpty()) {
                sink.insert(tx, allInserts);
            }
            Set<UUID> mismatched = updateRows.isEmpty() ? Set.of() : sink.update(tx, updateRows);
            for (; ran < commands.size(); ran++) {
                results[ran] = commands.get(ran).work().apply(tx);
            }
            sink.commit(tx);
            pauseMillis = 0;
            if (storesJournaled) {
                stored(journaled, journaledRows);
                journaled.clear();
                journaledRows.clear();
            }
            inserted(inserts, insertRows);
            updatedAll(updated, updateRows, mismatched);
            for (int i = 0; i < commands.size(); i++) {
                commands.get(i).done().complete(results[i]);
            }
            return null;
        } catch (Exception ex) {
            if (tx != null) {
                sink.rollback(tx);
            }
            for (int i = 0; i < ran; i++) {
                undo(commands.get(i), results[i]);
            }
            return ex;
        }
    }

    private void writeEach(
            List<Insert> inserts,
            List<List<TaskWrite>> insertRows,
            List<LiveTask> updated,
            List<TaskWrite> updateRows,
            List<Command<C, Object>> commands,
            boolean storeJournaled,
            boolean stopping) {
        if (storeJournaled) {
            Exception failure = writeAll(List.of(), List.of(), List.of(), List.of(), List.of(), true);
            if (failure != null) {
                keepJournaled(failure, stopping);
            }
        }
        for (int i = 0; i < inserts.size(); i++) {
            Exception failure = writeAll(List.of(inserts.get(i)), List.of(insertRows.get(i)), List.of(), List.of(), List.of(), false);
            if (failure != null) {
                failInsert(inserts.get(i), failure);
            }
        }
        if (!updateRows.isEmpty()) {
            Exception failure = writeAll(List.of(), List.of(), updated, updateRows, List.of(), false);
            if (failure != null) {
                failUpdates(updated, failure, stopping);
            }
        }
        for (Command<C, Object> command : commands) {
            Exception failure = writeAll(List.of(), List.of(), List.of(), List.of(), List.of(command), false);
            if (failure != null) {
                command.done().completeExceptionally(storeFailure("A task store operation failed", failure));
            }
        }
    }

    private void failParts(
            List<Insert> inserts,
            List<LiveTask> updated,
            List<Command<C, Object>> commands,
            Exception failure,
            boolean storeJournaled,
            boolean stopping) {
        inserts.forEach(insert -> failInsert(insert, failure));
        if (storeJournaled) {
            keepJournaled(failure, stopping);
        }
        if (!updated.isEmpty()) {
            failUpdates(updated, failure, stopping);
        }
        commands.forEach(command ->
                command.done().completeExceptionally(storeFailure("A task store operation failed", failure)));
    }

    /** After the commit: bookkeeping, then the new tasks go to the store's owner in one call, then their submitters. */
    private void inserted(List<Insert> inserts, List<List<TaskWrite>> rows) {
        if (inserts.isEmpty()) {
            return;
        }
        List<LiveTask> tasks = new ArrayList<>();
        List<TaskWrite> writes = new ArrayList<>();
        for (int i = 0; i < inserts.size(); i++) {
            tasks.addAll(inserts.get(i).tasks());
            writes.addAll(rows.get(i));
        }
        stored(tasks, writes);
        accepted(inserts, tasks);
    }

    /** Journals new tasks; once that is done they are durable, so they are handed over and their submitters released. */
    private boolean journal(List<Insert> inserts, List<List<TaskWrite>> rows) {
        List<LiveTask> tasks = new ArrayList<>();
        List<TaskWrite> writes = new ArrayList<>();
        for (int i = 0; i < inserts.size(); i++) {
            tasks.addAll(inserts.get(i).tasks());
            writes.addAll(rows.get(i));
        }
        try {
            if (!sink.journal(writes)) {
                return false;
            }
        } catch (Exception ex) {
            inserts.forEach(insert -> failInsert(insert, ex));
            return true; // failed and answered: nothing left to write
        }
        journaled.addAll(tasks);
        accepted(inserts, tasks);
        return true;
    }

    /** The rows are committed: the tasks now know what the store holds. */
    private void stored(List<LiveTask> tasks, List<TaskWrite> rows) {
        for (int i = 0; i < tasks.size(); i++) {
            LiveTask task = tasks.get(i);
            if (task.written(rows.get(i))) {
                onDetached.accept(task);
            } else if (task.isDirty()) {
                changed(task); // it moved on while its row was on the way
            }
        }
    }

    /** New tasks are durable: they go to the store's owner in one call, then their submitters are released. */
    private void accepted(List<Insert> inserts, List<LiveTask> tasks) {
        try {
            onInserted.accept(tasks);
        } catch (RuntimeException ex) {
            log.error("Handing over {} newly stored tasks failed; they run at the next start", tasks.size(), ex);
        }
        List<Insert> done = List.copyOf(inserts);
        completer.execute(() -> done.forEach(insert -> insert.done().complete(null)));
    }

    /** The journaled rows could not be stored yet: they stay journaled and are tried again after a pause. */
    private void keepJournaled(Exception failure, boolean stopping) {
        if (stopping) {
            log.error("Could not store {} journaled tasks while shutting down; the journal restores them at the next "
                    + "start", journaled.size(), failure);
            return;
        }
        pauseMillis = Math.min(MAX_PAUSE_MILLIS, Math.max(10, pauseMillis * 2));
        log.warn("Could not store {} journaled tasks yet; trying again in {} ms: {}", journaled.size(), pauseMillis,
                failure.toString());
    }

    private void updatedAll(List<LiveTask> tasks, List<TaskWrite> rows, Set<UUID> mismatched) {
        for (int i = 0; i < tasks.size(); i++) {
            LiveTask task = tasks.get(i);
            TaskWrite write = rows.get(i);
            if (mismatched.contains(task.id())) {
                // memory decides on a single-node store; a mismatch means someone edited the table by hand
                log.error("Task {} was not {} in the store when writing {}; the store now lags behind",
                        task.id(), write.expectedStatus(), write.task().status());
            }
            if (task.written(write)) {
                onDetached.accept(task);
            }
        }
    }

    private void failInsert(Insert insert, Exception failure) {
        RuntimeException reason = storeFailure("Could not store the task", failure);
        completer.execute(() -> insert.done().completeExceptionally(reason));
    }

    private void failUpdates(List<LiveTask> tasks, Exception failure, boolean stopping) {
        for (LiveTask task : tasks) {
            task.writeFailed();
            if (!stopping) {
                changed(task);
            }
        }
        if (stopping) {
            log.error("Could not store the latest state of {} tasks while shutting down; "
                    + "they run again at the next start", tasks.size(), failure);
            return;
        }
        pauseMillis = Math.min(MAX_PAUSE_MILLIS, Math.max(10, pauseMillis * 2));
        log.warn("Could not store the state of {} tasks; trying again in {} ms: {}",
                tasks.size(), pauseMillis, failure.toString());
    }

    private void undo(Command<C, Object> command, Object result) {
        if (command.undo() != null && result != null) {
            try {
                command.undo().accept(result);
            } catch (RuntimeException ex) {
                log.warn("Undoing a rolled-back store operation failed", ex);
            }
        }
    }

    private static RuntimeException storeFailure(String what, Exception failure) {
        if (failure instanceof TaskException expected) {
            return expected; // an answer for the caller (not found, wrong state), not a store failure
        }
        return new TaskStoreException(what + ": " + failure.getMessage(), failure);
    }
}
