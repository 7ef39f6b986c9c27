package io.gobstopper.tasks.store.duckdb;

import io.gobstopper.tasks.ArchiveResult;
import io.gobstopper.tasks.ExportFormat;
import io.gobstopper.tasks.TaskAnalytics;
import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskNotFoundException;
import io.gobstopper.tasks.TaskPage;
import io.gobstopper.tasks.TaskPriority;
import io.gobstopper.tasks.TaskQueueUnavailableException;
import io.gobstopper.tasks.TaskStateException;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.TaskStoreException;
import io.gobstopper.tasks.TaskStoreUnavailableException;
import io.gobstopper.tasks.store.LiveTask;
import io.gobstopper.tasks.store.Refusals;
import io.gobstopper.tasks.store.TaskArchive;
import io.gobstopper.tasks.store.TaskBacklog;
import io.gobstopper.tasks.store.TaskChange;
import io.gobstopper.tasks.store.TaskExport;
import io.gobstopper.tasks.store.TaskStore;
import io.gobstopper.tasks.store.jdbc.AnalyticsDialect;
import io.gobstopper.tasks.store.jdbc.TaskQueries;
import io.gobstopper.tasks.store.jdbc.TaskSql;
import io.gobstopper.tasks.store.support.GroupCommitWriter;
import io.gobstopper.tasks.store.support.TextExport;
import io.gobstopper.tasks.store.support.TrackedTask;
import io.gobstopper.tasks.store.support.UniqueKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.AbstractDataSource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Tasks in one DuckDB file, owned by one process. Unfinished tasks are also held in memory, where the store
 * decides their transitions; a single writer then stores the outcomes in order, many per transaction. Reads go
 * through {@link JdbcTemplate} on connections duplicated from the one that holds the file open. Of a large backlog
 * of due tasks, memory holds a window per category and priority; the rest wait in the table only ({@link
 * TaskBacklog}) and are read back in order.
 */
public class DuckDbTaskStore implements TaskStore, TaskArchive, TaskExport, TaskBacklog {

    private static final Logger log = LoggerFactory.getLogger(DuckDbTaskStore.class);

    /** What submits refused while the file cannot be written are told to wait; the writer probes meanwhile. */
    private static final Duration RETRY_WHILE_UNWRITABLE = Duration.ofSeconds(1);

    private static final Pattern LOCK_HOLDER = Pattern.compile("\\(PID (\\d+)\\)");

    /** DuckDB's words for analytics: {@code quantile_cont}, microsecond epochs. */
    private static final AnalyticsDialect DIALECT = new AnalyticsDialect() {
        @Override
        public String seconds(String later, String earlier) {
            return "(epoch_us(" + later + ") - epoch_us(" + earlier + ")) / 1e6";
        }

        @Override
        public String percentile(String expr, double q) {
            return "quantile_cont(" + expr + ", " + q + ")";
        }

        @Override
        public String minuteMicros(String column) {
            return "epoch_us(date_trunc('minute', " + column + "))";
        }
    };

    /** The folder archived tasks are written to by default, relative to the working directory. */
    public static final String DEFAULT_ARCHIVE_PATH = "gobstopper-archive";

    private final Path path;
    private final Path archivePath;
    private final DuckDbArchive archive;
    private final Duration writeDelay;
    private final LiveTasks live = new LiveTasks();
    private final UniqueKeys keys = new UniqueKeys();
    private final SpilledTasks spilled;

    private DuckDBConnection root;
    private DuckDBConnection writeConnection;
    private DuckDbBatchSink sink;
    private SubmitJournal journal;
    private GroupCommitWriter<DuckDbBatchSink.Tx> writer;
    private JdbcTemplate reads;
    private volatile boolean open;

    /** How long a task's changed state may wait before it is written, unless told otherwise: 50 ms. */
    public static final Duration DEFAULT_WRITE_DELAY = Duration.ofMillis(50);

    /**
     * The most due tasks per category and priority held in memory, unless told otherwise: 50,000 (about 17 MB); more
     * wait in the table only. A burst of that many tasks of one priority never touches the table's backlog.
     */
    public static final int DEFAULT_QUEUE_WINDOW = 50_000;

    /**
     * A store on a DuckDB file, with the {@linkplain #DEFAULT_WRITE_DELAY default write delay} and archive folder.
     *
     * @param path the database file, created on {@link #open} if missing
     */
    public DuckDbTaskStore(Path path) {
        this(path, DEFAULT_WRITE_DELAY);
    }

    /**
     * @param path the database file, created on {@link #open} if missing
     * @param writeDelay how long a task's changed state (started, progress, ended) may wait before it is written;
     *     a crash loses only changes younger than this, and the tasks they belong to run again
     */
    public DuckDbTaskStore(Path path, Duration writeDelay) {
        this(path, writeDelay, Path.of(DEFAULT_ARCHIVE_PATH));
    }

    /**
     * @param path the database file, created on {@link #open} if missing
     * @param writeDelay how long a task's changed state may wait before it is written
     * @param archivePath the folder archived tasks are written to as Parquet, partitioned by day
     */
    public DuckDbTaskStore(Path path, Duration writeDelay, Path archivePath) {
        this(path, writeDelay, archivePath, DEFAULT_QUEUE_WINDOW);
    }

    /**
     * @param path the database file, created on {@link #open} if missing
     * @param writeDelay how long a task's changed state may wait before it is written
     * @param archivePath the folder archived tasks are written to as Parquet, partitioned by day
     * @param queueWindow the most due tasks per category and priority held in memory, more waiting in the table
     *     only and read back in order; 0 holds every unfinished task in memory
     */
    public DuckDbTaskStore(Path path, Duration writeDelay, Path archivePath, int queueWindow) {
        if (queueWindow < 0) {
            throw new IllegalArgumentException("The queue window must be 0 (no window) or more, got " + queueWindow);
        }
        this.spilled = new SpilledTasks(live, queueWindow);
        this.path = path.toAbsolutePath().normalize();
        this.writeDelay = writeDelay;
        this.archivePath = archivePath.toAbsolutePath().normalize();
        this.archive = new DuckDbArchive(this.archivePath);
    }

    @Override
    public String kind() {
        return "duckdb";
    }

    @Override
    public String location() {
        return path.toString();
    }

    @Override
    public synchronized List<LiveTask> open(Instant now, Consumer<List<LiveTask>> committed) {
        if (open) {
            throw new IllegalStateException("The task store " + path + " is already open");
        }
        connect();
        try {
            JdbcTemplate writes = new JdbcTemplate(new SingleConnectionDataSource(writeConnection, true));
            DuckDbSchema.migrate(writes, path.toString());
            long storedUpTo = restoreJournaled(writes);
            List<TaskInfo> unfinished = recover(writes, now);
            sink = new DuckDbBatchSink(writeConnection, writes, journal, storedUpTo);
            writer = new GroupCommitWriter<>(sink, committed, live::remove, writeDelay, "gobstopper-writer");
            spilled.open(writer);
            reads = new JdbcTemplate(new DuplicatingDataSource(root));
            List<LiveTask> tasks = new ArrayList<>(unfinished.size());
            for (TaskInfo row : unfinished) {
                LiveTask task = LiveTask.of(row);
                live.add(TrackedTask.stored(task));
                keys.claim(task);
                tasks.add(task);
            }
            writer.start();
            open = true;
            archive.open(writer, reads, this::query, this::reclaim);
            archive.finishPending();
            return tasks;
        } catch (SQLException | DataAccessException | IOException ex) {
            closeQuietly();
            throw new TaskStoreException("Could not prepare the task database " + path + ": " + ex.getMessage(), ex);
        } catch (RuntimeException ex) {
            closeQuietly();
            throw ex;
        }
    }

    private void connect() {
        try {
            Path parent = path.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException ex) {
            throw new TaskStoreException("Could not create the folder for the task database " + path + ": " + ex, ex);
        }
        try {
            root = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + path);
            writeConnection = (DuckDBConnection) root.duplicate();
        } catch (SQLException ex) {
            closeQuietly();
            String message = String.valueOf(ex.getMessage());
            if (message.contains("Could not set lock")) {
                Matcher holder = LOCK_HOLDER.matcher(message);
                throw new TaskStoreException(
                        "The task database " + path + " is in use by another process"
                                + (holder.find() ? " (PID " + holder.group(1) + ")" : "")
                                + ". One DuckDB file serves one running instance: stop the other instance, or give this one"
                                + " a database file of its own.",
                        ex);
            }
            throw new TaskStoreException("Could not open the task database " + path + ": " + message, ex);
        }
    }

    /**
     * Stores the tasks that were journaled (so their submits returned) but not yet in the table when the previous
     * process stopped; returns the highest journal sequence the table now holds.
     */
    private long restoreJournaled(JdbcTemplate writes) throws IOException {
        Long mark = writes.queryForObject("SELECT stored_up_to FROM gobstopper_journal", Long.class);
        long alreadyStored = mark == null ? 0 : mark;
        journal = SubmitJournal.open(Path.of(path + ".journal"), alreadyStored);
        List<SubmitJournal.Entry> missing = journal.read().stream()
                .filter(entry -> entry.seq() > alreadyStored)
                .toList();
        if (!missing.isEmpty()) {
            long restoredUpTo = missing.get(missing.size() - 1).seq();
            writes.execute("BEGIN TRANSACTION");
            try {
                for (SubmitJournal.Entry entry : missing) {
                    insertRow(writes, entry.task(), true);
                }
                writes.update("UPDATE gobstopper_journal SET stored_up_to = ?", restoredUpTo);
                writes.execute("COMMIT");
            } catch (RuntimeException ex) {
                writes.execute("ROLLBACK");
                throw ex;
            }
            log.info(
                    "Restored {} tasks from the journal {} that were submitted just before the previous process "
                            + "stopped",
                    missing.size(),
                    journal.path());
            journal.truncate();
            return restoredUpTo;
        }
        journal.truncate();
        return alreadyStored;
    }

    /**
     * Inserts a new task row by SQL, for the rare inserts that do not go through the writer's Appender.
     *
     * @param ignoreExisting whether a row with the task's id may exist already (and is then left as it is)
     */
    private static void insertRow(JdbcTemplate jdbc, TaskInfo task, boolean ignoreExisting) {
        jdbc.update(
                "INSERT INTO tasks SELECT ?, ?, ?, ?, ?, ?, ?, make_timestamp(?), ?, NULL, NULL, make_timestamp(?), "
                        + "NULL, NULL, 0, 0, NULL, ?, ?, ?"
                        + (ignoreExisting ? " WHERE NOT EXISTS (SELECT 1 FROM tasks WHERE id = ?)" : ""),
                insertArgs(task, ignoreExisting));
    }

    private static Object[] insertArgs(TaskInfo task, boolean ignoreExisting) {
        List<Object> args = new ArrayList<>(java.util.Arrays.asList(
                task.id(),
                task.name(),
                task.category(),
                task.priority().level(),
                task.maxRetries(),
                task.args(),
                task.kwargs(),
                DuckDbRows.micros(task.createdAt()),
                task.status().name(),
                task.runAt() == null ? null : DuckDbRows.micros(task.runAt()),
                DuckDbRows.parentsText(task.dependsOn()),
                task.uniqueKey(),
                DuckDbRows.timeoutMillis(task.timeout())));
        if (ignoreExisting) {
            args.add(task.id());
        }
        return args.toArray();
    }

    /**
     * Puts interrupted runs back to PENDING and loads the unfinished tasks to hold in memory: with a queue window,
     * those due later, waiting for parents or holding a unique key, and the first window of the due ones of each
     * category and priority; the rest of the due ones stay in the backlog, counted, and are read back as the workers
     * need them.
     */
    private List<TaskInfo> recover(JdbcTemplate writes, Instant now) {
        int interrupted = writes.update("UPDATE tasks SET status = 'PENDING', retry_count = retry_count + 1, "
                + "started_at = NULL, progress = 0, progress_message = NULL WHERE status = 'STARTED'");
        long nowMicros = DuckDbRows.micros(now);
        boolean windowed = spilled.window() > 0;
        List<TaskInfo> unfinished = new ArrayList<>(writes.query(
                "SELECT " + DuckDbRows.COLUMNS + " FROM tasks WHERE status IN ('PENDING', 'RETRY')"
                        + (windowed ? " AND " + SpilledTasks.heldCondition("?") : "") + " ORDER BY created_at, id",
                DuckDbRows.MAPPER,
                windowed ? new Object[] {nowMicros} : new Object[0]));
        if (windowed) {
            unfinished.addAll(spilled.recover(writes, nowMicros));
            unfinished.sort(Comparator.comparing(TaskInfo::createdAt).thenComparing(DuckDbTaskStore::uuidOrder));
        }
        long backlogged = spilled.spilledByCategory().values().stream()
                .mapToLong(Long::longValue)
                .sum();
        if (!unfinished.isEmpty() || backlogged > 0) {
            log.info(
                    "Recovered {} unfinished tasks from {}{}{}",
                    unfinished.size() + backlogged,
                    path,
                    backlogged == 0
                            ? ""
                            : " (" + backlogged + " due ones wait in the table past the queue window, read back as "
                                    + "workers need them)",
                    interrupted == 0
                            ? ""
                            : " (" + interrupted + " were running when the previous process stopped; they run again)");
        }
        return unfinished;
    }

    /** The table's order of ids: DuckDB orders UUIDs as unsigned numbers. */
    private static String uuidOrder(TaskInfo task) {
        return task.id().toString();
    }

    // ---- transitions ----

    @Override
    public CompletableFuture<Void> insert(List<LiveTask> tasks, boolean atomic) {
        ensureOpen();
        List<TrackedTask> tracked = new ArrayList<>(tasks.size());
        for (LiveTask task : tasks) {
            tracked.add(live.add(TrackedTask.unstored(task)));
        }
        CompletableFuture<Void> stored = writer.insert(tracked, atomic);
        stored.whenComplete((ok, failure) -> {
            if (failure != null) {
                tracked.forEach(held -> untrack(held));
            }
        });
        return stored.exceptionallyCompose(failure -> {
            Throwable cause =
                    failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
            String problem = writer.problem();
            if (problem != null && cause != null && cause.getClass() == TaskStoreException.class) {
                return CompletableFuture.failedFuture(unwritable(problem, cause)); // the disk, not this submit
            }
            return CompletableFuture.failedFuture(failure);
        });
    }

    /** The refusal while the file cannot be written: it says why and when to try again. */
    private TaskStoreUnavailableException unwritable(String problem, Throwable cause) {
        return new TaskStoreUnavailableException(
                "The task database " + path + " cannot be written: " + problem + ". Submits are refused meanwhile; the "
                        + "outcomes of running tasks are kept in memory and written, and work resumes, once writing "
                        + "succeeds again (is the disk full, or the file not writable?). Try again in "
                        + RETRY_WHILE_UNWRITABLE.toSeconds() + " s",
                cause,
                RETRY_WHILE_UNWRITABLE);
    }

    @Override
    public Optional<TaskInfo> claimUniqueKey(LiveTask task) {
        LiveTask holder = keys.claim(task);
        return holder == null ? Optional.empty() : Optional.of(holder.snapshot());
    }

    @Override
    public void releaseUniqueKey(LiveTask task) {
        keys.release(task);
    }

    /** The task held in memory, read back from the backlog (and then held until it ends) if it waits there. */
    @Override
    public LiveTask tracked(UUID id) {
        ensureOpen();
        TrackedTask tracked = spilled.load(id);
        return tracked == null ? null : tracked.task();
    }

    /** How many tasks are held in memory (a test's look at the window). */
    int heldInMemory() {
        return live.size();
    }

    /** The task held in memory, if it is; a task in the backlog is not. */
    private LiveTask held(UUID id) {
        TrackedTask tracked = live.get(id);
        return tracked == null ? null : tracked.task();
    }

    // ---- the backlog ----

    @Override
    public int window() {
        return spilled.window();
    }

    @Override
    public long spilled(String category, TaskPriority priority) {
        return spilled.spilled(category, priority);
    }

    @Override
    public Map<String, Long> spilledByCategory() {
        return spilled.spilledByCategory();
    }

    @Override
    public void spill(List<LiveTask> tasks) {
        spilled.spill(tasks);
    }

    @Override
    public CompletableFuture<List<LiveTask>> page(String category, TaskPriority priority, int max) {
        ensureOpen();
        return spilled.page(category, priority, max);
    }

    @Override
    public void held(String category, TaskPriority priority, int count) {
        spilled.held(category, priority, count);
    }

    private void untrack(TrackedTask tracked) {
        live.remove(tracked);
        keys.release(tracked.task());
    }

    private void untrack(LiveTask task) {
        TrackedTask tracked = live.get(task.id());
        if (tracked != null && tracked.task() == task) {
            live.remove(tracked);
        }
        keys.release(task);
    }

    /** Memory decides: the change applies to the task held here, and the writer stores it within the write delay. */
    @Override
    public boolean apply(LiveTask task, TaskChange change) {
        if (!task.apply(change)) {
            return false;
        }
        changed(task);
        return true;
    }

    private void changed(LiveTask task) {
        if (task.status().isCompleted()) {
            keys.release(task); // a unique key binds unfinished tasks only
        }
        TrackedTask tracked = live.get(task.id());
        if (tracked != null && tracked.task() == task) {
            writer.changed(tracked);
        }
    }

    @Override
    public TaskInfo cancel(UUID id, Instant now) {
        ensureOpen();
        TrackedTask tracked = spilled.load(id);
        if (tracked != null) {
            LiveTask task = tracked.task();
            TaskInfo asked;
            boolean cancelled;
            synchronized (task) { // one decision: a start cannot slip in between the two
                asked = task.requestCancel();
                cancelled = asked == null && task.apply(new TaskChange.Cancel(null, now));
            }
            if (asked != null) {
                return asked; // running: the engine interrupts it, and it ends CANCELLED when it stops
            }
            if (cancelled) {
                spilled.left(tracked);
                changed(task);
                TaskStore.await(writer.flush());
                if (tracked.storedStatus() != TaskStatus.CANCELLED) {
                    throw new TaskStoreException(
                            "Task " + id + " is cancelled and will not run, but the task "
                                    + "database could not record it yet; it keeps trying",
                            null);
                }
                return task.snapshot();
            }
            TaskStatus status = task.status();
            if (!status.isCompleted()) {
                throw Refusals.cannotCancel(id, status);
            }
        }
        throw Refusals.cannotCancel(id, stored(id).status());
    }

    @Override
    public LiveTask retry(UUID id) {
        ensureOpen();
        settle(id, Refusals::cannotRetry);
        LiveTask retried = TaskStore.await(writer.execute(
                tx -> {
                    List<TaskInfo> rows = tx.jdbc()
                            .query(
                                    "UPDATE tasks SET " + TaskSql.RESET_FOR_RETRY
                                            + " WHERE id = ? AND status IN ('FAILED', 'CANCELLED') RETURNING "
                                            + DuckDbRows.COLUMNS,
                                    DuckDbRows.MAPPER,
                                    id);
                    if (rows.isEmpty()) {
                        return null;
                    }
                    LiveTask task = LiveTask.of(rows.get(0));
                    LiveTask holder = keys.claim(task);
                    if (holder != null) { // thrown inside the transaction, so the reset is rolled back
                        throw Refusals.uniqueKeyHeld(id, rows.get(0).status(), holder.id(), task.uniqueKey());
                    }
                    return track(task);
                },
                this::untrack));
        if (retried == null) {
            throw Refusals.cannotRetry(id, stored(id).status());
        }
        return retried;
    }

    @Override
    public RetriedTasks retryFailed(String category, Collection<String> runnableNames) {
        ensureOpen();
        TaskStore.await(writer.flush());
        String categoryClause = category == null ? "" : " AND category = ?";
        Object[] categoryArg = category == null ? new Object[0] : new Object[] {category};
        RetriedTasks retried = TaskStore.await(writer.execute(
                tx -> {
                    Integer total = tx.jdbc()
                            .queryForObject(
                                    "SELECT count(*) FROM tasks WHERE status = 'FAILED'" + categoryClause,
                                    Integer.class,
                                    categoryArg);
                    if (total == null || total == 0 || runnableNames.isEmpty()) {
                        return new RetriedTasks(List.of(), total == null ? 0 : total);
                    }
                    // a unique key binds one unfinished task: tasks whose key is held stay FAILED, and of several
                    // FAILED
                    // tasks with one key only the newest runs again
                    List<LiveTask> tasks = keys.whileHeld(held -> {
                        List<Object> args = new ArrayList<>(List.of(categoryArg));
                        args.addAll(runnableNames);
                        args.addAll(held);
                        String names = String.join(", ", java.util.Collections.nCopies(runnableNames.size(), "?"));
                        String heldKeys = held.isEmpty()
                                ? ""
                                : " AND (unique_key IS NULL OR unique_key NOT IN ("
                                        + String.join(", ", java.util.Collections.nCopies(held.size(), "?")) + "))";
                        List<TaskInfo> rows = new ArrayList<>(tx.jdbc()
                                .query(
                                        "UPDATE tasks SET " + TaskSql.RESET_FOR_RETRY
                                                + " WHERE status = 'FAILED'" + categoryClause + " AND name IN (" + names
                                                + ")" + heldKeys
                                                + " AND id NOT IN (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY unique_key "
                                                + "ORDER BY created_at DESC, id DESC) AS newest FROM tasks WHERE status = 'FAILED' AND unique_key IS "
                                                + "NOT NULL) WHERE newest > 1) RETURNING " + DuckDbRows.COLUMNS,
                                        DuckDbRows.MAPPER,
                                        args.toArray()));
                        rows.sort(Comparator.comparing(TaskInfo::createdAt).thenComparing(TaskInfo::id));
                        List<LiveTask> reset = new ArrayList<>(rows.size());
                        rows.forEach(row -> reset.add(track(LiveTask.of(row))));
                        return reset;
                    });
                    return new RetriedTasks(tasks, total);
                },
                result -> result.tasks().forEach(this::untrack)));
        return retried;
    }

    private LiveTask track(LiveTask task) {
        live.add(TrackedTask.stored(task));
        return task;
    }

    @Override
    public void delete(UUID id) {
        ensureOpen();
        settle(id, Refusals::cannotDelete);
        int deleted = TaskStore.await(writer.execute(
                tx -> tx.jdbc().update("DELETE FROM tasks WHERE id = ? AND status IN " + TaskSql.ENDED, id), null));
        if (deleted == 0) {
            throw Refusals.cannotDelete(id, stored(id).status());
        }
    }

    /**
     * For operations on ended tasks: refuses an unfinished task, and waits until a task that just ended has its
     * end stored.
     */
    private void settle(UUID id, java.util.function.BiFunction<UUID, TaskStatus, TaskStateException> refusal) {
        LiveTask task = held(id);
        if (task == null) {
            return;
        }
        TaskStatus status = task.status();
        if (!status.isCompleted()) {
            throw refusal.apply(id, status);
        }
        TaskStore.await(writer.flush());
    }

    @Override
    public int deleteCompletedBefore(Instant cutoff) {
        ensureOpen();
        int deleted = TaskStore.await(writer.execute(
                tx -> tx.jdbc()
                        .update(
                                "DELETE FROM tasks WHERE status IN " + TaskSql.ENDED
                                        + " AND completed_at < make_timestamp(?)",
                                DuckDbRows.micros(cutoff)),
                null));
        if (deleted > 0) {
            reclaim();
        }
        return deleted;
    }

    /**
     * Checkpoints, which is when DuckDB vacuums deleted rows and can reuse their space: without it the space of
     * deleted tasks waits for the next automatic checkpoint (at 16 MiB of WAL) and the file keeps growing under a
     * steady load with retention on. FORCE waits for the writer's transaction in progress rather than failing.
     */
    private void reclaim() {
        try (Connection connection = root.duplicate();
                var statement = connection.createStatement()) {
            statement.execute("FORCE CHECKPOINT");
        } catch (SQLException ex) {
            log.debug(
                    "Checkpoint after deleting ended tasks failed; the next automatic one reclaims: {}",
                    ex.getMessage());
        }
    }

    // ---- reads ----

    @Override
    public Optional<TaskInfo> find(UUID id) {
        ensureOpen();
        LiveTask task = held(id);
        if (task != null) {
            return Optional.of(task.snapshot());
        }
        return query(() ->
                        reads.query("SELECT " + DuckDbRows.COLUMNS + " FROM tasks WHERE id = ?", DuckDbRows.MAPPER, id))
                .stream()
                .findFirst();
    }

    private TaskInfo stored(UUID id) {
        return find(id).orElseThrow(() -> new TaskNotFoundException(id));
    }

    @Override
    public TaskPage list(TaskFilter filter) {
        ensureOpen();
        TaskStore.await(writer.flush());
        List<Object> args = new ArrayList<>(5);
        String where = TaskQueries.where(filter, args);
        Long total =
                query(() -> reads.queryForObject("SELECT count(*) FROM tasks" + where, Long.class, args.toArray()));
        args.add(filter.limit());
        args.add(filter.offset());
        List<TaskInfo> rows = query(() -> reads.query(
                "SELECT " + DuckDbRows.COLUMNS + " FROM tasks" + where + TaskSql.NEWEST_FIRST + " LIMIT ? OFFSET ?",
                DuckDbRows.MAPPER,
                args.toArray()));
        List<TaskInfo> tasks = new ArrayList<>(rows.size());
        for (TaskInfo row : rows) {
            LiveTask task = held(row.id());
            tasks.add(task == null ? row : task.snapshot());
        }
        return new TaskPage(tasks, total == null ? 0 : total, filter.limit(), filter.offset());
    }

    @Override
    public TaskCounts counts() {
        ensureOpen();
        TaskStore.await(writer.flush());
        return query(() -> TaskQueries.counts(reads, "tasks"));
    }

    @Override
    public List<TaskInfo> recentFailures(int limit) {
        ensureOpen();
        TaskStore.await(writer.flush());
        return query(() -> reads.query(
                "SELECT " + DuckDbRows.COLUMNS
                        + " FROM tasks WHERE status = 'FAILED' ORDER BY completed_at DESC, id DESC LIMIT ?",
                DuckDbRows.MAPPER,
                limit));
    }

    @Override
    public TaskAnalytics analytics(Duration since, Instant now, TaskAnalytics.GroupBy groupBy) {
        return analytics(since, now, groupBy, false);
    }

    @Override
    public TaskAnalytics analyticsWithArchive(Duration since, Instant now, TaskAnalytics.GroupBy groupBy) {
        return analytics(since, now, groupBy, true);
    }

    private TaskAnalytics analytics(
            Duration since, Instant now, TaskAnalytics.GroupBy groupBy, boolean includeArchive) {
        ensureOpen();
        TaskStore.await(writer.flush());
        String from = includeArchive ? archive.withLiveTasks() : "tasks";
        return query(() -> TaskQueries.analytics(
                reads, DIALECT, from, "make_timestamp(?)", DuckDbRows.micros(now.minus(since)), since, groupBy));
    }

    @Override
    public ArchiveResult archiveCompletedBefore(Instant cutoff) {
        ensureOpen();
        return archive.archiveCompletedBefore(cutoff);
    }

    /** Test seam: runs after a batch's files are written and before its rows are deleted. */
    void afterArchiveWritten(Runnable hook) {
        archive.afterArchiveWritten(hook);
    }

    @Override
    public java.util.Set<ExportFormat> exportFormats() {
        return java.util.EnumSet.allOf(ExportFormat.class);
    }

    @Override
    public void export(TaskFilter filter, ExportFormat format, OutputStream out) throws IOException {
        ensureOpen();
        TaskStore.await(writer.flush());
        StringBuilder where = new StringBuilder(" WHERE true");
        if (filter.category() != null) {
            where.append(" AND category = ").append(DuckDbArchive.literal(filter.category()));
        }
        if (filter.status() != null) {
            where.append(" AND status = ")
                    .append(DuckDbArchive.literal(filter.status().name()));
        }
        if (filter.name() != null) {
            where.append(" AND name = ").append(DuckDbArchive.literal(filter.name()));
        }
        List<String> columns = new ArrayList<>(TextExport.COLUMNS.size());
        for (String column : TextExport.COLUMNS) {
            columns.add(
                    format != ExportFormat.PARQUET && column.endsWith("_at")
                            ? "strftime(" + column + ", '%Y-%m-%dT%H:%M:%S.%fZ') AS " + column
                            : column);
        }
        String options = switch (format) {
            case CSV -> "FORMAT CSV, HEADER true";
            case JSON -> "FORMAT JSON, ARRAY true";
            case PARQUET -> "FORMAT PARQUET";
        };
        Path file = Files.createTempFile("gobstopper-export-", "." + format.extension());
        try {
            query(() -> {
                reads.execute(
                        "COPY (SELECT " + String.join(", ", columns) + " FROM tasks" + where + TaskSql.NEWEST_FIRST
                                + ") TO " + DuckDbArchive.literal(file.toString()) + " (" + options + ")");
                return null;
            });
            Files.copy(file, out);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Override
    public Map<String, ScheduleState> scheduleStates() {
        ensureOpen();
        TaskStore.await(writer.flush());
        Map<String, ScheduleState> states = new TreeMap<>();
        query(() -> {
            reads.query("SELECT name, paused, epoch_us(last_fire_at) FROM gobstopper_schedules", rs -> {
                long micros = rs.getLong(3);
                states.put(
                        rs.getString(1),
                        new ScheduleState(
                                rs.getBoolean(2),
                                rs.wasNull()
                                        ? null
                                        : Instant.EPOCH.plus(micros, java.time.temporal.ChronoUnit.MICROS)));
            });
            return null;
        });
        return states;
    }

    @Override
    public void pauseSchedule(String name) {
        ensureOpen();
        TaskStore.await(writer.execute(
                tx -> tx.jdbc()
                        .update(
                                "INSERT INTO gobstopper_schedules VALUES (?, true, NULL) "
                                        + "ON CONFLICT (name) DO UPDATE SET paused = true",
                                name),
                null));
    }

    @Override
    public void resumeSchedule(String name, Instant now) {
        ensureOpen();
        long micros = DuckDbRows.micros(now);
        TaskStore.await(writer.execute(
                tx -> tx.jdbc()
                        .update(
                                "INSERT INTO gobstopper_schedules VALUES (?, false, "
                                        + "make_timestamp(?)) ON CONFLICT (name) DO UPDATE SET paused = false, last_fire_at = "
                                        + "greatest(coalesce(gobstopper_schedules.last_fire_at, excluded.last_fire_at), excluded.last_fire_at)",
                                name,
                                micros),
                null));
    }

    @Override
    public boolean insertScheduled(LiveTask task, String name, Instant fireTime) {
        ensureOpen();
        TaskInfo row = task.snapshot();
        TrackedTask tracked = TrackedTask.stored(task); // its row goes in as it is now, with the fire time's record
        return TaskStore.await(writer.execute(
                tx -> {
                    JdbcTemplate jdbc = tx.jdbc();
                    jdbc.update(
                            "INSERT INTO gobstopper_schedules VALUES (?, false, NULL) ON CONFLICT (name) DO NOTHING",
                            name);
                    long fire = DuckDbRows.micros(fireTime);
                    // compare-and-set on the fire time: the one run per fire time, whoever tries to store it
                    int claimed = jdbc.update(
                            "UPDATE gobstopper_schedules SET last_fire_at = make_timestamp(?) WHERE name = ? "
                                    + "AND (last_fire_at IS NULL OR last_fire_at < make_timestamp(?))",
                            fire,
                            name,
                            fire);
                    if (claimed == 0) {
                        return false;
                    }
                    insertRow(jdbc, row, false);
                    live.add(tracked);
                    return true;
                },
                done -> {
                    if (done) {
                        live.remove(tracked);
                    }
                }));
    }

    @Override
    public void check() {
        ensureOpen();
        String problem = writer.problem();
        if (problem != null) {
            throw unwritable(problem, null);
        }
        query(() -> reads.queryForObject("SELECT count(*) FROM gobstopper_schema", Integer.class));
    }

    @Override
    public synchronized void close() {
        if (!open) {
            return;
        }
        open = false;
        writer.close();
        sink.close();
        try (var statement = writeConnection.createStatement()) {
            statement.execute("CHECKPOINT");
        } catch (SQLException ex) {
            log.warn("Checkpoint of {} at shutdown failed: {}", path, ex.getMessage());
        }
        closeQuietly();
        log.debug("Closed task database {}", path);
    }

    private void closeQuietly() {
        if (journal != null && sink == null) {
            try {
                journal.close();
            } catch (IOException ex) {
                log.debug("Closing the journal of {} failed: {}", path, ex.getMessage());
            }
        }
        for (Connection connection : new Connection[] {writeConnection, root}) {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException ex) {
                    log.debug("Closing a connection to {} failed: {}", path, ex.getMessage());
                }
            }
        }
        writeConnection = null;
        root = null;
    }

    private void ensureOpen() {
        if (!open) {
            throw new TaskQueueUnavailableException("The task database " + path + " is not open");
        }
    }

    private <T> T query(java.util.function.Supplier<T> query) {
        try {
            return query.get();
        } catch (DataAccessException ex) {
            throw new TaskStoreException("The task database " + path + " could not answer: " + ex.getMessage(), ex);
        }
    }

    /** Hands every caller its own connection duplicated from the one that holds the file open. */
    private static final class DuplicatingDataSource extends AbstractDataSource {

        private final DuckDBConnection root;

        DuplicatingDataSource(DuckDBConnection root) {
            this.root = root;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return root.duplicate();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }
    }
}
