package io.gobstopper.tasks.store.duckdb;

import io.gobstopper.tasks.TaskPriority;
import io.gobstopper.tasks.store.LiveTask;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the store knows of its backlog without holding its tasks: per category and priority, how many due tasks wait
 * only in the table, and where to start reading them back. Reading starts at the oldest key (creation time, then id)
 * a spilled task may have: the spills of tasks whose key is older than the reading position move it back, including
 * spills that race a page being read, so no spilled task is ever passed over. Reading may see tasks that are held in
 * memory; the store skips those.
 */
final class Backlog {

    private static final Logger log = LoggerFactory.getLogger(Backlog.class);

    /** Where reading starts: the creation time in microseconds, then the id ({@code null}: the whole time). */
    record Key(long createdMicros, UUID id) {

        static Key of(LiveTask task) {
            return new Key(DuckDbRows.micros(task.createdAt()), task.id());
        }

        /** The older of two keys, in the table's order (DuckDB orders UUIDs as unsigned numbers). */
        static Key min(Key a, Key b) {
            if (a == null || b == null) {
                return a == null ? b : a;
            }
            if (a.createdMicros != b.createdMicros) {
                return a.createdMicros < b.createdMicros ? a : b;
            }
            if (a.id == null || b.id == null) {
                return a.id == null ? a : b;
            }
            int high = Long.compareUnsigned(a.id.getMostSignificantBits(), b.id.getMostSignificantBits());
            int order = high != 0
                    ? high
                    : Long.compareUnsigned(a.id.getLeastSignificantBits(), b.id.getLeastSignificantBits());
            return order <= 0 ? a : b;
        }
    }

    private static final class Level {
        /** Tasks in the backlog, including those of pages read and not yet held by the engine. */
        long count;
        /** Tasks of pages read and not yet held by the engine. */
        long delivering;
        /** Where the next page starts reading; {@code null} while nothing waits and no page is read. */
        Key from;

        boolean reading;
        /** The oldest key spilled while a page was being read. */
        Key spilledWhileReading;
    }

    private final Map<String, Level[]> categories = new HashMap<>();

    private Level level(String category, TaskPriority priority) {
        Level[] levels = categories.computeIfAbsent(category, name -> {
            Level[] made = new Level[TaskPriority.values().length];
            for (int i = 0; i < made.length; i++) {
                made[i] = new Level();
            }
            return made;
        });
        return levels[priority.level() - 1];
    }

    /** Tasks found in the backlog when the store opened: read from the start. */
    synchronized void recovered(String category, TaskPriority priority, long count) {
        Level level = level(category, priority);
        level.count += count;
        level.from = new Key(Long.MIN_VALUE, null);
    }

    /** A task now waits in the backlog. */
    synchronized void spilled(LiveTask task) {
        Level level = level(task.category(), task.priority());
        Key key = Key.of(task);
        level.from = level.count == 0 && !level.reading ? key : Key.min(level.from, key);
        level.count++;
        if (level.reading) {
            level.spilledWhileReading = Key.min(level.spilledWhileReading, key);
        }
    }

    /** A task left the backlog other than by being read back (it was cancelled). */
    synchronized void left(String category, TaskPriority priority) {
        Level level = level(category, priority);
        level.count = Math.max(0, level.count - 1);
    }

    synchronized long count(String category, TaskPriority priority) {
        Level[] levels = categories.get(category);
        return levels == null ? 0 : levels[priority.level() - 1].count;
    }

    synchronized Map<String, Long> byCategory() {
        Map<String, Long> counts = new TreeMap<>();
        categories.forEach((category, levels) -> {
            long sum = 0;
            for (Level level : levels) {
                sum += level.count;
            }
            if (sum > 0) {
                counts.put(category, sum);
            }
        });
        return counts;
    }

    /**
     * A page is about to be read: returns where it starts. Called before the reading is handed to the writer, so a
     * task spilled before this has its row written ahead of the reading, and one spilled after it is remembered.
     */
    synchronized Key startReading(String category, TaskPriority priority) {
        Level level = level(category, priority);
        level.reading = true;
        level.spilledWhileReading = null;
        return level.from == null ? new Key(Long.MIN_VALUE, null) : level.from;
    }

    /**
     * A page was read (and its transaction committed).
     *
     * @param taken how many of its tasks left the backlog, counted until the engine holds them
     * @param lastRead the key of the last row read, where the next page starts
     * @param exhausted whether the reading found no more rows
     */
    synchronized void read(String category, TaskPriority priority, int taken, Key lastRead, boolean exhausted) {
        Level level = level(category, priority);
        level.reading = false;
        level.delivering += taken;
        level.from = Key.min(exhausted ? null : lastRead, level.spilledWhileReading);
        level.spilledWhileReading = null;
        if (level.from == null && level.count > level.delivering) {
            // every row was read and none is left: the count went astray (rows changed by hand, say)
            log.warn(
                    "{} tasks of category {} and priority {} were counted as waiting in the store, but none is left; "
                            + "the count is reset",
                    level.count - level.delivering,
                    category,
                    priority);
            level.count = level.delivering;
        }
    }

    /** The engine holds tasks of a page now. */
    synchronized void held(String category, TaskPriority priority, int count) {
        Level level = level(category, priority);
        level.delivering = Math.max(0, level.delivering - count);
        level.count = Math.max(0, level.count - count);
    }

    /** Reading a page failed: the next one starts where this one did, or earlier. */
    synchronized void readingFailed(String category, TaskPriority priority) {
        Level level = level(category, priority);
        level.reading = false;
        level.from = Key.min(level.from, level.spilledWhileReading);
        level.spilledWhileReading = null;
    }
}
