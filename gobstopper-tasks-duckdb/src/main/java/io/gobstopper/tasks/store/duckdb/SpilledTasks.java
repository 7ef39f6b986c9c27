package io.gobstopper.tasks.store.duckdb;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskPriority;
import io.gobstopper.tasks.store.LiveTask;
import io.gobstopper.tasks.store.TaskStore;
import io.gobstopper.tasks.store.support.GroupCommitWriter;
import io.gobstopper.tasks.store.support.TrackedTask;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The store's side of its backlog: due tasks that the engine does not hold, and that the store holds in its table
 * only once their rows are written. Reading a page back and loading one task (to cancel it, or to wait for it) both
 * run on the writer's store thread, the thread that also writes rows and lets tasks go from memory: so a task is
 * either held in memory, as one object, or read from its row, never both, and a task cancelled in memory is never read
 * back from a row that still says PENDING.
 */
final class SpilledTasks {

    /** Most queries one page makes while it finds only tasks held in memory already. */
    private static final int MAX_QUERIES = 8;

    private static final String WAITING = " status IN ('PENDING', 'RETRY')";

    private final LiveTasks live;
    private final Backlog backlog = new Backlog();
    private final int window;
    private GroupCommitWriter<DuckDbBatchSink.Tx> writer;

    SpilledTasks(LiveTasks live, int window) {
        this.live = live;
        this.window = window;
    }

    void open(GroupCommitWriter<DuckDbBatchSink.Tx> writer) {
        this.writer = writer;
    }

    int window() {
        return window;
    }

    /**
     * The condition on a waiting row that it is held in memory from the start (so it is not in the backlog): due
     * later, waiting for parents, or holding a unique key, whose holder must stay one object.
     */
    static String heldCondition(String nowMicros) {
        return "(coalesce(run_at > make_timestamp(" + nowMicros + "), false) OR depends_on IS NOT NULL "
                + "OR unique_key IS NOT NULL)";
    }

    /**
     * Reads the due tasks that wait in the table when the store opens: the first window of each category and priority,
     * oldest first, to be held; the rest are only counted, and read back as the workers need them.
     */
    List<TaskInfo> recover(JdbcTemplate jdbc, long nowMicros) {
        String due = " FROM tasks WHERE" + WAITING + " AND NOT " + heldCondition("?");
        List<TaskInfo> first = jdbc.query(
                "SELECT " + DuckDbRows.COLUMNS + " FROM (SELECT *, row_number() OVER (PARTITION BY category, priority "
                        + "ORDER BY created_at, id) AS place" + due + ") WHERE place <= ?",
                DuckDbRows.MAPPER,
                nowMicros,
                window);
        jdbc.query(
                "SELECT category, priority, count(*) - ?" + due + " GROUP BY category, priority HAVING count(*) > ?",
                rs -> {
                    backlog.recovered(rs.getString(1), TaskPriority.ofLevel(rs.getInt(2)), rs.getLong(3));
                },
                window,
                nowMicros,
                window);
        return first;
    }

    long spilled(String category, TaskPriority priority) {
        return backlog.count(category, priority);
    }

    java.util.Map<String, Long> spilledByCategory() {
        return backlog.byCategory();
    }

    void spill(List<LiveTask> tasks) {
        for (LiveTask task : tasks) {
            TrackedTask tracked = live.get(task.id());
            if (tracked == null || tracked.task() != task) {
                continue; // not this store's to hold (cannot happen to a task the engine was handed)
            }
            backlog.spilled(task);
            tracked.spill();
            if (tracked.detachSpilled()) {
                live.remove(tracked); // its row holds it already (a retry, say)
            }
        }
    }

    /** A task held in memory left the backlog by a change (a cancel): it is no longer counted there. */
    void left(TrackedTask tracked) {
        if (tracked.unspill()) {
            backlog.left(tracked.task().category(), tracked.task().priority());
        }
    }

    CompletableFuture<List<LiveTask>> page(String category, TaskPriority priority, int max) {
        Backlog.Key from = backlog.startReading(category, priority);
        CompletableFuture<Page> read;
        try {
            read = writer.execute(tx -> read(tx.jdbc(), category, priority, from, max), this::putBack);
        } catch (RuntimeException ex) {
            read = CompletableFuture.failedFuture(ex);
        }
        return read.handle((page, failure) -> {
            if (failure != null) {
                backlog.readingFailed(category, priority);
                throw failure instanceof java.util.concurrent.CompletionException completion
                        ? completion
                        : new java.util.concurrent.CompletionException(failure);
            }
            backlog.read(category, priority, page.tasks().size(), page.lastRead(), page.exhausted());
            return page.tasks();
        });
    }

    void held(String category, TaskPriority priority, int count) {
        backlog.held(category, priority, count);
    }

    /** A page read: its tasks, the key of the last row read ({@code null} for none), whether no more rows were left. */
    private record Page(List<LiveTask> tasks, Backlog.Key lastRead, boolean exhausted) {}

    /** Reads a page on the store thread: rows in order, skipping tasks that memory holds. */
    private Page read(JdbcTemplate jdbc, String category, TaskPriority priority, Backlog.Key from, int max) {
        List<LiveTask> taken = new ArrayList<>(Math.min(max, window));
        Backlog.Key at = from;
        Backlog.Key lastRead = null;
        boolean exhausted = false;
        for (int query = 0; query < MAX_QUERIES && taken.size() < max && !exhausted; query++) {
            List<TaskInfo> rows = rows(jdbc, category, priority, at, max);
            exhausted = rows.size() < max;
            for (TaskInfo row : rows) {
                LiveTask task = take(row);
                if (task != null) {
                    taken.add(task);
                }
            }
            if (!rows.isEmpty()) {
                TaskInfo last = rows.get(rows.size() - 1);
                lastRead = new Backlog.Key(DuckDbRows.micros(last.createdAt()), last.id());
                at = lastRead;
            }
        }
        return new Page(taken, lastRead == null ? from : lastRead, exhausted);
    }

    /** The transaction that read a page failed after the reading: its tasks wait in the backlog again. */
    private void putBack(Page page) {
        for (LiveTask task : page.tasks()) {
            TrackedTask tracked = live.get(task.id());
            if (tracked != null && tracked.task() == task) {
                tracked.spill();
            }
        }
    }

    private static List<TaskInfo> rows(
            JdbcTemplate jdbc, String category, TaskPriority priority, Backlog.Key from, int max) {
        List<Object> args = new ArrayList<>(List.of(category, priority.level()));
        String after = "";
        if (from.createdMicros() != Long.MIN_VALUE) {
            if (from.id() == null) {
                after = " AND created_at >= make_timestamp(?)";
                args.add(from.createdMicros());
            } else {
                // the row at the key itself is read again (and skipped, as it is held): the reading never skips one
                // the plain range first, so that DuckDB skips the row groups before it by their zone maps
                after = " AND created_at >= make_timestamp(?) AND (created_at > make_timestamp(?) OR (created_at = "
                        + "make_timestamp(?) AND id >= ?::UUID))";
                args.add(from.createdMicros());
                args.add(from.createdMicros());
                args.add(from.createdMicros());
                args.add(from.id().toString());
            }
        }
        args.add(max);
        return jdbc.query(
                "SELECT " + DuckDbRows.COLUMNS + " FROM tasks WHERE category = ? AND priority = ? AND" + WAITING + after
                        + " ORDER BY created_at, id LIMIT ?",
                DuckDbRows.MAPPER,
                args.toArray());
    }

    /** The task of a waiting row, if it is in the backlog: the object memory holds for it, or one made from the row. */
    private LiveTask take(TaskInfo row) {
        TrackedTask held = live.get(row.id());
        if (held != null) {
            if (held.unspill()) {
                return held.task(); // spilled, its row not written yet, or loaded by someone who waits for it
            }
            if (!held.detachSpilled()) {
                return null; // held in memory: queued, running, on a timer, or decided on meanwhile
            }
            live.remove(held); // let go a moment ago: its row is the truth, read below
        }
        LiveTask task = LiveTask.of(row);
        live.add(TrackedTask.stored(task));
        return task;
    }

    /**
     * The object the store holds for an unfinished task, kept held while someone has it: from memory, or read from
     * its row if it waits in the backlog only. On the store thread, so a page read meanwhile finds the same object.
     *
     * @return the task, or {@code null} if it has ended or does not exist
     */
    TrackedTask load(UUID id) {
        TrackedTask held = live.get(id);
        if (held != null && held.pin()) {
            return held;
        }
        if (window == 0) {
            return held; // nothing is ever spilled
        }
        return TaskStore.await(writer.execute(
                tx -> {
                    TrackedTask again = live.get(id);
                    if (again != null && again.pin()) {
                        return again;
                    }
                    List<TaskInfo> rows = tx.jdbc()
                            .query(
                                    "SELECT " + DuckDbRows.COLUMNS + " FROM tasks WHERE id = ? AND" + WAITING,
                                    DuckDbRows.MAPPER,
                                    id);
                    if (rows.isEmpty()) {
                        return null;
                    }
                    TrackedTask loaded = TrackedTask.stored(LiveTask.of(rows.get(0)));
                    loaded.spill(); // still waits in the backlog, now as this object
                    loaded.pin();
                    live.add(loaded);
                    return loaded;
                },
                null));
    }
}
