package io.gobstopper.tasks.store.support;

import io.gobstopper.tasks.TaskException;
import io.gobstopper.tasks.TaskQueueUnavailableException;
import io.gobstopper.tasks.TaskStoreException;
import io.gobstopper.tasks.store.LiveTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Writes a store's changes, many at a time, in shared transactions, on two threads.
 *
 * <p>The <em>journal thread</em> takes what callers wait for. New tasks are made durable first: appended to the
 * store's journal and forced to disk in one go (0.2 ms on the project's machine), then handed to the engine and their
 * submitters released. Everything it takes goes on, in order, to the <em>store thread</em>, which writes the
 * transactions, so a submit never waits behind one (an idle DuckDB commit costs 2.5 ms or more). For a store without
 * a journal the journal thread is not started: work goes straight to the store thread, and new tasks are released
 * once their transaction commits.
 *
 * <p>Besides tasks' rows and changes, a store can hand the writer <em>batched operations</em> ({@link Batch}): the
 * items of one kind that arrive while a transaction commits are written together, by one call, in the next one, and
 * each is answered once it committed. The shared PostgreSQL store writes the ends and progress of runs so.
 *
 * <p>The store thread writes urgent work (commands, flushes, unjournaled inserts) at once, with whatever else arrived
 * while the previous transaction committed. Deferred work (a task's changed state: started, progress, ended; and
 * the rows of journaled tasks) is written within the write delay, or once {@link #DEFERRED_BATCH} tasks have changed
 * or {@link #JOURNALED_BATCH} journaled tasks wait, or before the next command or flush (which act on the stored
 * state). A task that changed several times meanwhile is written once, as it is now; a journaled task that ended
 * meanwhile goes in as one row in its final state. DuckDB pays per statement, not per row, so deferring turns
 * state changes into large, cheap batches (River's batch completer does the same). A crash loses only deferred
 * changes younger than the write delay; those tasks run again, which at-least-once execution allows.
 *
 * <p>A failed transaction is rolled back and its parts are tried again one by one, so one bad part fails alone: a
 * failed unjournaled insert fails its submitters, a failed command its caller, and failed updates and journaled rows
 * stay pending and are tried again after a pause. Nothing is half-written.
 *
 * <p>Submitters are released by a third thread, the completer, one hand-off per batch: what callers chain on an
 * insert's future runs there, never on a writer thread. The writer knows nothing of SQL: a {@link BatchSink}
 * supplies the journal and the transactions.
 *
 * @param <C> the store's transaction handle, given to commands
 */
public final class GroupCommitWriter<C> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

    /** Most operations taken off a queue at once. */
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

    /** What {@link BatchSink#journal} answers for a store without a journal. */
    public static final long NO_JOURNAL = -1;

    /** A store's side of the writer: its journal and its transactions. */
    public interface BatchSink<C> {

        /**
         * Makes new rows durable ahead of the transaction that stores them, for a store with a faster way than its
         * transactions. Called on the journal thread only.
         *
         * @return the journal sequence number of the last row, or {@link #NO_JOURNAL}: the rows are then durable
         *     only once their transaction commits
         */
        default long journal(List<TaskWrite> rows) throws Exception {
            return NO_JOURNAL;
        }

        /**
         * Whether {@link #journal} may journal rows; a sink without a journal has its work go straight to the store
         * thread, one thread hop fewer for every submit.
         */
        default boolean hasJournal() {
            return false;
        }

        /** Begins a transaction. */
        C begin() throws Exception;

        /** Inserts new rows. */
        void insert(C tx, List<TaskWrite> rows) throws Exception;

        /** Records, in the transaction, that the table now holds every journaled row up to this sequence number. */
        default void journaledStored(C tx, long sequence) throws Exception {}

        /** Writes something small in the transaction, to learn whether the store takes writes again. */
        default void probe(C tx) throws Exception {}

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

    /**
     * Operations of one kind that a store writes many at a time: the items that arrive while a transaction commits go
     * into the next one together, written by one call (one statement for all of them, say), and each is answered once
     * that transaction has committed, on the completer thread.
     *
     * @param <I> an item to write
     * @param <R> what an item's write answers
     */
    @FunctionalInterface
    public interface Batch<C, I, R> {

        /** Writes the items in the transaction; returns one result per item, in their order. */
        List<R> write(C tx, List<I> items) throws Exception;
    }

    /** Work run inside the writer's transaction. */
    @FunctionalInterface
    public interface Work<C, T> {
        T apply(C tx) throws Exception;
    }

    /** New tasks; an atomic insert skips the journal, so its tasks are durable together or not at all. */
    private record Insert(List<TrackedTask> tasks, boolean atomic, CompletableFuture<Void> done) {}

    /** Tasks journaled together, their submitters released; their rows are still to be stored. */
    private record Journaled(List<TrackedTask> tasks, long lastSequence) {}

    private record Command<C, T>(Work<C, T> work, Consumer<T> undo, CompletableFuture<T> done) {}

    private record Barrier(CompletableFuture<Void> done) {}

    private record Batched<C, I, R>(Batch<C, I, R> batch, I item, CompletableFuture<R> done) {}

    private static final Object STOP = new Object();

    /** Wakes the store thread to write deferred changes early. */
    private static final Object NUDGE = new Object();

    private final BatchSink<C> sink;
    /** Whether work goes through the journal thread; else straight to the store thread. */
    private final boolean journaling;

    private final Consumer<List<LiveTask>> onInserted;
    private final Consumer<TrackedTask> onDetached;
    private final long delayNanos;
    /** Work for the journal thread: inserts, commands, flushes. */
    private final LinkedBlockingQueue<Object> incoming = new LinkedBlockingQueue<>();
    /** Work for the store thread, in the journal thread's order. */
    private final LinkedBlockingQueue<Object> toStore = new LinkedBlockingQueue<>();

    private final ConcurrentLinkedQueue<TrackedTask> deferred = new ConcurrentLinkedQueue<>();
    private final AtomicInteger deferredCount = new AtomicInteger();
    private final Thread journalThread;
    private final Thread storeThread;
    private final ExecutorService completer;
    private volatile boolean closed;
    /** Why the latest journal append failed, while appends fail; {@code null} once one succeeds. */
    private volatile String journalProblem;
    /** Why the latest transaction failed, while transactions fail; {@code null} once one commits. */
    private volatile String storeProblem;

    // store thread only
    private final List<Journaled> journaled = new ArrayList<>();
    private int journaledTasks;
    private long pauseMillis;

    /**
     * @param sink the store's journal and transactions
     * @param onInserted told of each batch of new tasks once durable, before their submitters are released (on a
     *     writer thread: keep it quick)
     * @param onDetached told when a task's final state is stored, so the store can stop tracking it
     * @param writeDelay how long a task's changed state may wait before it is written
     * @param threadName the store thread's name; the others are named after it
     */
    public GroupCommitWriter(
            BatchSink<C> sink,
            Consumer<List<LiveTask>> onInserted,
            Consumer<TrackedTask> onDetached,
            Duration writeDelay,
            String threadName) {
        if (writeDelay.isNegative() || writeDelay.isZero()) {
            throw new IllegalArgumentException("the write delay must be more than zero, got " + writeDelay);
        }
        this.sink = sink;
        this.journaling = sink.hasJournal();
        this.onInserted = onInserted;
        this.onDetached = onDetached;
        this.delayNanos = writeDelay.toNanos();
        this.journalThread = new Thread(this::runJournal, threadName + "-journal");
        this.journalThread.setDaemon(true);
        this.storeThread = new Thread(this::runStore, threadName);
        this.storeThread.setDaemon(true);
        this.completer = Executors.newSingleThreadExecutor(runnable -> {
            Thread completions = new Thread(runnable, threadName + "-completer");
            completions.setDaemon(true);
            return completions;
        });
    }

    public void start() {
        storeThread.start();
        if (journaling) {
            journalThread.start();
        }
    }

    /** Inserts tasks; the future completes once they are durable. */
    public CompletableFuture<Void> insert(List<TrackedTask> tasks) {
        return insert(tasks, false);
    }

    /**
     * Inserts tasks; the future completes once they are durable.
     *
     * @param atomic whether all must be stored or none, even across a crash: such tasks are not journaled (a crash
     *     could leave part of a journal append) but stored by one transaction
     */
    public CompletableFuture<Void> insert(List<TrackedTask> tasks, boolean atomic) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!offer(new Insert(tasks, atomic, done))) {
            done.completeExceptionally(closedException());
        }
        return done;
    }

    /** Writes the task's new state within the write delay; {@link #flush()} writes it at once. */
    public void changed(TrackedTask task) {
        if (closed) {
            log.warn(
                    "Task {} changed after the store closed; the change is not stored",
                    task.task().id());
            return;
        }
        if (task.queue()) {
            deferred.add(task);
            if (deferredCount.incrementAndGet() == DEFERRED_BATCH) {
                toStore.add(NUDGE);
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

    /**
     * Writes an item of a batched operation with whatever else is written at the time; the future completes with the
     * item's result once its transaction has committed (on the completer thread, never a writer thread).
     */
    public <I, R> CompletableFuture<R> add(Batch<C, I, R> batch, I item) {
        CompletableFuture<R> done = new CompletableFuture<>();
        if (!offer(new Batched<>(batch, item, done))) {
            done.completeExceptionally(closedException());
        }
        return done;
    }

    /** Completes once everything offered or changed before it has been stored (or has failed). */
    public CompletableFuture<Void> flush() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!offer(new Barrier(done))) {
            done.complete(null);
        }
        return done;
    }

    /** Writes what is pending, then stops the writer threads. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        (journaling ? incoming : toStore).add(STOP);
        try {
            journalThread.join(TimeUnit.SECONDS.toMillis(30));
            storeThread.join(TimeUnit.SECONDS.toMillis(30));
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
        (journaling ? incoming : toStore).add(op); // without a journal, in the order the journal thread keeps
        return true;
    }

    private static TaskQueueUnavailableException closedException() {
        return new TaskQueueUnavailableException("The task store is closed: the task system is shutting down");
    }

    // ---- the journal thread ----

    private void runJournal() {
        List<Object> ops = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            try {
                ops.add(incoming.take());
                incoming.drainTo(ops, MAX_BATCH);
                stopping = ops.contains(STOP);
                if (stopping) {
                    incoming.drainTo(ops); // anything that raced in with the close
                }
                List<Insert> inserts = new ArrayList<>();
                for (Object op : ops) {
                    if (op instanceof Insert insert && !insert.atomic()) {
                        inserts.add(insert);
                    }
                }
                if (!inserts.isEmpty()) {
                    journal(inserts);
                }
                for (Object op : ops) {
                    if (!(op instanceof Insert insert && !insert.atomic()) && op != STOP) {
                        toStore.add(op); // atomic inserts, commands and flushes, after the tasks journaled with them
                    }
                }
            } catch (InterruptedException ex) {
                // only close() ends the writer; keep going
            } catch (Throwable ex) {
                log.error("Task journal thread failed unexpectedly; continuing", ex);
            } finally {
                ops.clear();
            }
        }
        toStore.add(STOP);
    }

    /** Journals new tasks; once that is done they are durable, so they are handed over and their submitters released. */
    private void journal(List<Insert> inserts) {
        List<TrackedTask> tasks = new ArrayList<>();
        List<TaskWrite> rows = new ArrayList<>();
        for (Insert insert : inserts) {
            for (TrackedTask task : insert.tasks()) {
                tasks.add(task);
                rows.add(task.take(true));
            }
        }
        long sequence;
        try {
            sequence = sink.journal(rows);
            journalProblem = null;
        } catch (Exception ex) {
            journalProblem = problem("appending to the journal", ex);
            inserts.forEach(insert -> failInsert(insert, ex));
            return;
        }
        if (sequence == NO_JOURNAL) {
            toStore.addAll(inserts); // durable once stored: the store thread releases them
            return;
        }
        toStore.add(new Journaled(tasks, sequence));
        accepted(inserts, tasks);
    }

    // ---- the store thread ----

    private void runStore() {
        List<Object> ops = new ArrayList<>();
        boolean stopping = false;
        long deferredDue = Long.MAX_VALUE; // when the oldest unwritten change must be written
        while (!stopping) {
            try {
                if (deferredDue == Long.MAX_VALUE && (deferredCount.get() > 0 || journaledTasks > 0)) {
                    deferredDue = System.nanoTime() + delayNanos;
                }
                long wait = deferredDue == Long.MAX_VALUE ? delayNanos : deferredDue - System.nanoTime();
                Object first = wait > 0 ? toStore.poll(wait, TimeUnit.NANOSECONDS) : toStore.poll();
                if (first != null) {
                    ops.add(first);
                    toStore.drainTo(ops, MAX_BATCH);
                }
                stopping = ops.contains(STOP);
                if (stopping) {
                    toStore.drainTo(ops);
                }
                for (Object op : ops) {
                    if (op instanceof Journaled batch) {
                        journaled.add(batch);
                        journaledTasks += batch.tasks().size();
                    }
                }
                ops.removeIf(op -> op instanceof Journaled || op == STOP || op == NUDGE);
                boolean due = stopping
                        || first == null // waited a full delay, or the deadline passed
                        || System.nanoTime() - deferredDue >= 0
                        // commands and flushes act on the stored state, so it must be up to date
                        || ops.stream().anyMatch(op -> op instanceof Barrier || op instanceof Command<?, ?>);
                boolean writeChanged = due || deferredCount.get() >= DEFERRED_BATCH;
                // journaled rows wait for their own triggers only: the longer they wait, the more of their tasks have
                // ended and go in as one final row instead of a row and an update
                boolean writeJournaled = (due || journaledTasks >= JOURNALED_BATCH) && journaledTasks > 0;
                if (writeChanged) {
                    for (TrackedTask task; (task = deferred.poll()) != null; ) {
                        deferredCount.decrementAndGet();
                        ops.add(task);
                    }
                }
                if (due) {
                    deferredDue = Long.MAX_VALUE;
                }
                if (first == null && ops.isEmpty() && !writeJournaled && !stopping && problem() != null) {
                    ops.add(probe()); // nothing to write, but writing failed: learn whether it works again
                }
                if (!ops.isEmpty() || writeJournaled) {
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
     * @param storeJournaled whether the rows of journaled tasks go in too (they are durable already, so they share
     *     the deferred transactions)
     */
    private void process(List<Object> ops, boolean stopping, boolean storeJournaled) throws InterruptedException {
        List<Insert> inserts = new ArrayList<>();
        Set<TrackedTask> changed = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<Batch<C, ?, ?>, List<Batched<C, ?, ?>>> batched = new LinkedHashMap<>();
        List<Command<C, Object>> commands = new ArrayList<>();
        List<Barrier> barriers = new ArrayList<>();
        for (Object op : ops) {
            if (op instanceof TrackedTask task) {
                changed.add(task);
            } else if (op instanceof Insert insert) {
                inserts.add(insert);
            } else if (op instanceof Barrier barrier) {
                barriers.add(barrier);
            } else if (op instanceof Batched<?, ?, ?> item) {
                @SuppressWarnings("unchecked")
                Batched<C, ?, ?> of = (Batched<C, ?, ?>) item;
                batched.computeIfAbsent(of.batch(), kind -> new ArrayList<>()).add(of);
            } else {
                @SuppressWarnings("unchecked")
                Command<C, Object> command = (Command<C, Object>) op;
                commands.add(command);
            }
        }
        List<List<TaskWrite>> insertRows = new ArrayList<>(inserts.size());
        for (Insert insert : inserts) {
            List<TaskWrite> rows = new ArrayList<>(insert.tasks().size());
            for (TrackedTask task : insert.tasks()) {
                changed.remove(task);
                rows.add(task.take(true));
            }
            insertRows.add(rows);
        }
        Stored journaledRows = null;
        if (storeJournaled) {
            // their rows go in as they are now, so a task that started, ended or was cancelled since it was
            // journaled needs no update of a row that is not there yet
            journaledRows = new Stored(
                    new ArrayList<>(journaledTasks),
                    new ArrayList<>(journaledTasks),
                    journaled.get(journaled.size() - 1).lastSequence());
            for (Journaled batch : journaled) {
                for (TrackedTask task : batch.tasks()) {
                    changed.remove(task);
                    journaledRows.tasks().add(task);
                    journaledRows.rows().add(task.take(true));
                }
            }
        }
        List<TrackedTask> updated = new ArrayList<>(changed.size());
        List<TaskWrite> updateRows = new ArrayList<>(changed.size());
        for (TrackedTask task : changed) {
            TaskWrite write = task.take(false);
            if (write != null) {
                updated.add(task);
                updateRows.add(write);
            }
        }

        Parts<C> parts = new Parts<>(journaledRows, inserts, insertRows, updated, updateRows, batched, commands);
        if (parts.count() > 0) {
            Exception failure = writeAll(parts);
            if (failure != null) {
                if (parts.count() == 1 && parts.batchedItems() <= 1) {
                    failParts(parts, failure, stopping);
                } else {
                    log.debug("Batch of {} parts failed; writing them one by one", parts.count(), failure);
                    writeEach(parts, stopping);
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

    /** Rows of journaled tasks taken for one transaction, and the journal sequence they reach. */
    private record Stored(List<TrackedTask> tasks, List<TaskWrite> rows, long lastSequence) {}

    /**
     * What one transaction writes.
     *
     * @param journaledRows the rows of every waiting journaled task, or {@code null}: they only ever go in all
     *     together, so a commit that records a journal sequence stores every row up to it
     * @param batched the batched operations by kind, each kind written by one call
     */
    private record Parts<C>(
            Stored journaledRows,
            List<Insert> inserts,
            List<List<TaskWrite>> insertRows,
            List<TrackedTask> updated,
            List<TaskWrite> updateRows,
            Map<Batch<C, ?, ?>, List<Batched<C, ?, ?>>> batched,
            List<Command<C, Object>> commands) {

        static <C> Parts<C> journaled(Stored rows) {
            return new Parts<>(rows, List.of(), List.of(), List.of(), List.of(), Map.of(), List.of());
        }

        static <C> Parts<C> insert(Insert insert, List<TaskWrite> rows) {
            return new Parts<>(null, List.of(insert), List.of(rows), List.of(), List.of(), Map.of(), List.of());
        }

        static <C> Parts<C> updates(List<TrackedTask> tasks, List<TaskWrite> rows) {
            return new Parts<>(null, List.of(), List.of(), tasks, rows, Map.of(), List.of());
        }

        static <C> Parts<C> batched(Batch<C, ?, ?> batch, List<Batched<C, ?, ?>> items) {
            return new Parts<>(null, List.of(), List.of(), List.of(), List.of(), Map.of(batch, items), List.of());
        }

        static <C> Parts<C> command(Command<C, Object> command) {
            return new Parts<>(null, List.of(), List.of(), List.of(), List.of(), Map.of(), List.of(command));
        }

        /** The parts, each of which fails alone when written alone: an insert, a kind of batch, a command. */
        int count() {
            return inserts.size()
                    + commands.size()
                    + batched.size()
                    + (updateRows.isEmpty() ? 0 : 1)
                    + (journaledRows != null ? 1 : 0);
        }

        int batchedItems() {
            return batched.values().stream().mapToInt(List::size).sum();
        }
    }

    /** Writes in one transaction; returns the failure, or {@code null} when committed. */
    private Exception writeAll(Parts<C> parts) {
        Stored journaledRows = parts.journaledRows();
        List<TaskWrite> allInserts = new ArrayList<>(journaledRows == null ? List.of() : journaledRows.rows());
        parts.insertRows().forEach(allInserts::addAll);
        List<Command<C, Object>> commands = parts.commands();
        Object[] results = new Object[commands.size()];
        List<Runnable> answers = new ArrayList<>(parts.batched().size());
        int ran = 0;
        C tx = null;
        try {
            tx = sink.begin();
            if (!allInserts.isEmpty()) {
                sink.insert(tx, allInserts);
            }
            if (journaledRows != null) {
                sink.journaledStored(tx, journaledRows.lastSequence());
            }
            Set<UUID> mismatched = parts.updateRows().isEmpty() ? Set.of() : sink.update(tx, parts.updateRows());
            for (Map.Entry<Batch<C, ?, ?>, List<Batched<C, ?, ?>>> kind :
                    parts.batched().entrySet()) {
                answers.add(write(tx, kind.getKey(), kind.getValue()));
            }
            for (; ran < commands.size(); ran++) {
                results[ran] = commands.get(ran).work().apply(tx);
            }
            sink.commit(tx);
            pauseMillis = 0;
            storeProblem = null;
            if (journaledRows != null) {
                stored(journaledRows.tasks(), journaledRows.rows());
                journaled.clear();
                journaledTasks = 0;
            }
            inserted(parts.inserts(), parts.insertRows());
            updatedAll(parts.updated(), parts.updateRows(), mismatched);
            if (!answers.isEmpty()) {
                completer.execute(() -> answers.forEach(Runnable::run));
            }
            for (int i = 0; i < commands.size(); i++) {
                commands.get(i).done().complete(results[i]);
            }
            return null;
        } catch (Exception ex) {
            if (!(ex instanceof TaskException)) { // an answer to one command (wrong state, say) is no store failure
                storeProblem = problem("writing the database", ex);
            }
            if (tx != null) {
                sink.rollback(tx);
            }
            for (int i = 0; i < ran; i++) {
                undo(commands.get(i), results[i]);
            }
            return ex;
        }
    }

    /** Writes one kind of batched operation; returns what answers its items once the transaction commits. */
    private <I, R> Runnable write(C tx, Batch<C, ?, ?> kind, List<Batched<C, ?, ?>> items) throws Exception {
        @SuppressWarnings("unchecked")
        Batch<C, I, R> batch = (Batch<C, I, R>) kind;
        List<I> values = new ArrayList<>(items.size());
        for (Batched<C, ?, ?> item : items) {
            @SuppressWarnings("unchecked")
            I value = (I) item.item();
            values.add(value);
        }
        List<R> results = batch.write(tx, values);
        if (results.size() != items.size()) {
            throw new IllegalStateException(
                    "A batched write answered " + results.size() + " results for " + items.size() + " items");
        }
        return () -> {
            for (int i = 0; i < items.size(); i++) {
                @SuppressWarnings("unchecked")
                CompletableFuture<R> done = (CompletableFuture<R>) items.get(i).done();
                done.complete(results.get(i));
            }
        };
    }

    private void writeEach(Parts<C> parts, boolean stopping) {
        if (parts.journaledRows() != null) {
            Exception failure = writeAll(Parts.journaled(parts.journaledRows()));
            if (failure != null) {
                keepJournaled(failure, stopping);
            }
        }
        for (int i = 0; i < parts.inserts().size(); i++) {
            Insert insert = parts.inserts().get(i);
            Exception failure = writeAll(Parts.insert(insert, parts.insertRows().get(i)));
            if (failure != null) {
                failInsert(insert, failure);
            }
        }
        if (!parts.updateRows().isEmpty()) {
            Exception failure = writeAll(Parts.updates(parts.updated(), parts.updateRows()));
            if (failure != null) {
                failUpdates(parts.updated(), failure, stopping);
            }
        }
        parts.batched().forEach((batch, items) -> {
            if (parts.count() > 1) { // else the transaction that failed held only these
                Exception failure = writeAll(Parts.batched(batch, items));
                if (failure == null) {
                    return;
                }
                if (items.size() == 1) {
                    failBatched(items.get(0), failure);
                    return;
                }
            }
            for (Batched<C, ?, ?> item : items) { // one bad item fails alone
                Exception alone = writeAll(Parts.batched(batch, List.of(item)));
                if (alone != null) {
                    failBatched(item, alone);
                }
            }
        });
        for (Command<C, Object> command : parts.commands()) {
            Exception failure = writeAll(Parts.command(command));
            if (failure != null) {
                command.done().completeExceptionally(storeFailure("A task store operation failed", failure));
            }
        }
    }

    private void failParts(Parts<C> parts, Exception failure, boolean stopping) {
        parts.inserts().forEach(insert -> failInsert(insert, failure));
        if (parts.journaledRows() != null) {
            keepJournaled(failure, stopping);
        }
        if (!parts.updated().isEmpty()) {
            failUpdates(parts.updated(), failure, stopping);
        }
        parts.batched().values().forEach(items -> items.forEach(item -> failBatched(item, failure)));
        parts.commands()
                .forEach(command ->
                        command.done().completeExceptionally(storeFailure("A task store operation failed", failure)));
    }

    private void failBatched(Batched<C, ?, ?> item, Exception failure) {
        RuntimeException reason = storeFailure("A task store operation failed", failure);
        completer.execute(() -> item.done().completeExceptionally(reason));
    }

    /** Unjournaled inserts are committed: bookkeeping, then the tasks are handed over and their submitters released. */
    private void inserted(List<Insert> inserts, List<List<TaskWrite>> rows) {
        if (inserts.isEmpty()) {
            return;
        }
        List<TrackedTask> tasks = new ArrayList<>();
        List<TaskWrite> writes = new ArrayList<>();
        for (int i = 0; i < inserts.size(); i++) {
            tasks.addAll(inserts.get(i).tasks());
            writes.addAll(rows.get(i));
        }
        stored(tasks, writes);
        accepted(inserts, tasks);
    }

    /** The rows are committed: the tasks now know what the store holds. */
    private void stored(List<TrackedTask> tasks, List<TaskWrite> rows) {
        for (int i = 0; i < tasks.size(); i++) {
            TrackedTask task = tasks.get(i);
            if (task.written(rows.get(i))) {
                onDetached.accept(task);
            } else if (task.changedSinceTaken()) {
                changed(task); // it moved on while its row was on the way
            }
        }
    }

    /** New tasks are durable: they go to the store's owner in one call, then their submitters are released. */
    private void accepted(List<Insert> inserts, List<TrackedTask> tasks) {
        try {
            onInserted.accept(tasks.stream().map(TrackedTask::task).toList());
        } catch (RuntimeException ex) {
            log.error("Handing over {} newly stored tasks failed; they run at the next start", tasks.size(), ex);
        }
        List<Insert> done = List.copyOf(inserts);
        completer.execute(() -> done.forEach(insert -> insert.done().complete(null)));
    }

    private void updatedAll(List<TrackedTask> tasks, List<TaskWrite> rows, Set<UUID> mismatched) {
        for (int i = 0; i < tasks.size(); i++) {
            TrackedTask task = tasks.get(i);
            TaskWrite write = rows.get(i);
            if (mismatched.contains(task.task().id())) {
                // memory decides on a single-node store; a mismatch means someone edited the table by hand
                log.error(
                        "Task {} was not {} in the store when writing {}; the store now lags behind",
                        task.task().id(),
                        write.expectedStatus(),
                        write.task().status());
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

    /** The journaled rows could not be stored yet: they stay journaled and are tried again after a pause. */
    private void keepJournaled(Exception failure, boolean stopping) {
        if (stopping) {
            log.error(
                    "Could not store {} journaled tasks while shutting down; the journal restores them at the next "
                            + "start",
                    journaledTasks,
                    failure);
            return;
        }
        pauseMillis = Math.min(MAX_PAUSE_MILLIS, Math.max(10, pauseMillis * 2));
        log.warn(
                "Could not store {} journaled tasks yet; trying again in {} ms: {}",
                journaledTasks,
                pauseMillis,
                failure.toString());
    }

    private void failUpdates(List<TrackedTask> tasks, Exception failure, boolean stopping) {
        for (TrackedTask task : tasks) {
            task.writeFailed();
            if (!stopping) {
                changed(task);
            }
        }
        if (stopping) {
            log.error(
                    "Could not store the latest state of {} tasks while shutting down; "
                            + "they run again at the next start",
                    tasks.size(),
                    failure);
            return;
        }
        pauseMillis = Math.min(MAX_PAUSE_MILLIS, Math.max(10, pauseMillis * 2));
        log.warn(
                "Could not store the state of {} tasks; trying again in {} ms: {}",
                tasks.size(),
                pauseMillis,
                failure.toString());
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

    /** A small write whose commit clears the problem; the journal is taken to be on the same disk as the database. */
    private Command<C, Object> probe() {
        CompletableFuture<Object> done = new CompletableFuture<>();
        done.thenRun(() -> journalProblem = null);
        return new Command<>(
                tx -> {
                    sink.probe(tx);
                    return null;
                },
                null,
                done);
    }

    /**
     * Why writing fails now (the journal or the database), with when it began; {@code null} while writes succeed.
     * Changes that could not be written are kept and tried again after a pause, so the store recovers by itself once
     * the cause (a full disk, say) is gone.
     */
    public String problem() {
        String journal = journalProblem;
        return journal != null ? journal : storeProblem;
    }

    private String problem(String what, Exception failure) {
        String previous = what.startsWith("appending") ? journalProblem : storeProblem;
        String since = previous != null && previous.contains(" (since ")
                ? previous.substring(previous.lastIndexOf(" (since "))
                : " (since " + java.time.Instant.now() + ")";
        return what + " failed: " + failure.getMessage() + since;
    }

    private static RuntimeException storeFailure(String what, Exception failure) {
        if (failure instanceof TaskException expected) {
            return expected; // an answer for the caller (not found, wrong state), not a store failure
        }
        return new TaskStoreException(what + ": " + failure.getMessage(), failure);
    }
}
