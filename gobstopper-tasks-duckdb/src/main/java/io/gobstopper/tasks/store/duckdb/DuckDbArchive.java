package io.gobstopper.tasks.store.duckdb;

import io.gobstopper.tasks.ArchiveResult;
import io.gobstopper.tasks.TaskStoreException;
import io.gobstopper.tasks.store.TaskStore;
import io.gobstopper.tasks.store.jdbc.TaskSql;
import io.gobstopper.tasks.store.support.GroupCommitWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The DuckDB store's archive: ended tasks moved out of the live table into Parquet files partitioned by day, in
 * batches that survive a crash at any point. A batch's task ids are recorded in the database file first; its files,
 * named by the batch, are then written (as {@code .parquet.tmp}, renamed once all are complete) and its rows deleted
 * in one writer transaction, which also forgets the batch. A batch found recorded (the process died after writing
 * files, before the delete committed) is finished by writing its files again, replacing any written before, and
 * deleting its rows. Analytics read the archive and the live table together.
 */
final class DuckDbArchive {

    private static final Logger log = LoggerFactory.getLogger(DuckDbTaskStore.class);

    /** The task columns analytics read, alike in the live table and the archive. */
    private static final String ANALYTICS_COLUMNS =
            "id, name, category, status, created_at, started_at, completed_at, " + "run_at";

    private final Path archivePath;
    private final Object archiving = new Object();
    private volatile Runnable afterArchiveWritten = () -> {};
    private GroupCommitWriter<DuckDbBatchSink.Tx> writer;
    private JdbcTemplate reads;
    private Function<Supplier<List<String>>, List<String>> query;
    private Runnable reclaim;

    /** @param archivePath the folder of the Parquet files */
    DuckDbArchive(Path archivePath) {
        this.archivePath = archivePath;
    }

    /**
     * Connects the archive to the store that has just opened.
     *
     * @param query runs a read, turning a database failure into the store's failure
     * @param reclaim gives the space of deleted rows back (a checkpoint)
     */
    void open(
            GroupCommitWriter<DuckDbBatchSink.Tx> writer,
            JdbcTemplate reads,
            Function<Supplier<List<String>>, List<String>> query,
            Runnable reclaim) {
        this.writer = writer;
        this.reads = reads;
        this.query = query;
        this.reclaim = reclaim;
    }

    /** The live tasks and the archived ones as one table, for analytics; the live table alone while nothing is archived. */
    String withLiveTasks() {
        if (!hasArchive()) {
            return "tasks";
        }
        // a batch's files count once its rows are deleted: until then (a crash in between) the rows do
        return "(SELECT " + ANALYTICS_COLUMNS + " FROM tasks UNION ALL SELECT " + ANALYTICS_COLUMNS + " FROM "
                + archiveScan() + " WHERE id NOT IN (SELECT id FROM gobstopper_archive_batches))";
    }

    /** The archive's Parquet files as a table. */
    private String archiveScan() {
        return "read_parquet(" + literal(archivePath.toString().replace('\\', '/') + "/**/*.parquet")
                + ", hive_partitioning = true, union_by_name = true)";
    }

    private boolean hasArchive() {
        if (!Files.isDirectory(archivePath)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(archivePath)) {
            return files.anyMatch(file -> file.getFileName().toString().endsWith(".parquet"));
        } catch (IOException ex) {
            throw new TaskStoreException("Could not read the archive folder " + archivePath + ": " + ex, ex);
        }
    }

    /** Moves ended tasks that completed before the cut-off to the archive. */
    ArchiveResult archiveCompletedBefore(Instant cutoff) {
        synchronized (archiving) {
            TaskStore.await(writer.flush());
            ArchiveResult finished = finishPendingBatches();
            String batch = UUID.randomUUID().toString().replace("-", "");
            long micros = DuckDbRows.micros(cutoff);
            int recorded = TaskStore.await(writer.execute(
                    tx -> tx.jdbc()
                            .update(
                                    "INSERT INTO "
                                            + "gobstopper_archive_batches SELECT ?, id FROM tasks WHERE status IN "
                                            + TaskSql.ENDED
                                            + " AND completed_at < make_timestamp(?)",
                                    batch,
                                    micros),
                    null));
            ArchiveResult result = recorded == 0 ? finished : merge(finished, finishBatch(batch));
            if (result.archived() > 0) {
                reclaim.run();
            }
            return result;
        }
    }

    /** Test seam: runs after a batch's files are written and before its rows are deleted. */
    void afterArchiveWritten(Runnable hook) {
        this.afterArchiveWritten = hook == null ? () -> {} : hook;
    }

    /** Finishes the batches an earlier process recorded but did not finish; called when the store opens. */
    void finishPending() {
        try {
            synchronized (archiving) {
                ArchiveResult finished = finishPendingBatches();
                if (finished.archived() > 0) {
                    log.info(
                            "Finished archiving {} tasks to {} that an earlier process had written but not yet "
                                    + "deleted",
                            finished.archived(),
                            archivePath);
                }
            }
        } catch (RuntimeException ex) {
            log.warn(
                    "Could not finish an interrupted archive batch to {}; the next archive run tries again: {}",
                    archivePath,
                    ex.getMessage());
        }
    }

    private ArchiveResult finishPendingBatches() {
        List<String> pending = query.apply(() -> reads.queryForList(
                "SELECT DISTINCT batch FROM gobstopper_archive_batches ORDER BY batch", String.class));
        ArchiveResult result = new ArchiveResult(0, List.of());
        for (String batch : pending) {
            result = merge(result, finishBatch(batch));
        }
        return result;
    }

    private static ArchiveResult merge(ArchiveResult a, ArchiveResult b) {
        List<String> files = new ArrayList<>(a.files());
        files.addAll(b.files());
        return new ArchiveResult(a.archived() + b.archived(), files);
    }

    /** Writes a recorded batch's files (replacing those of an earlier attempt), then deletes its rows. */
    private ArchiveResult finishBatch(String batch) {
        try {
            Files.createDirectories(archivePath);
        } catch (IOException ex) {
            throw new TaskStoreException("Could not create the archive folder " + archivePath + ": " + ex, ex);
        }
        String members = " FROM tasks WHERE status IN " + TaskSql.ENDED
                + " AND id IN (SELECT id FROM gobstopper_archive_batches WHERE batch = " + literal(batch) + ")";
        return TaskStore.await(writer.execute(
                tx -> {
                    JdbcTemplate jdbc = tx.jdbc();
                    deleteFiles(batch);
                    Long count = jdbc.queryForObject("SELECT count(*)" + members, Long.class);
                    long rows = count == null ? 0 : count;
                    if (rows > 0) {
                        jdbc.execute("COPY (SELECT *, strftime(completed_at, '%Y-%m-%d') AS day" + members + ") TO "
                                + literal(archivePath.toString()) + " (FORMAT PARQUET, PARTITION_BY (day), "
                                + "FILENAME_PATTERN " + literal("batch-" + batch + "-{i}")
                                + ", FILE_EXTENSION 'parquet.tmp', "
                                + "OVERWRITE_OR_IGNORE true)");
                        publish(batch);
                    }
                    afterArchiveWritten.run();
                    int deleted = jdbc.update("DELETE" + members);
                    if (deleted != rows) {
                        throw new TaskStoreException(
                                "Archive batch " + batch + " wrote " + rows + " tasks but would delete " + deleted
                                        + "; nothing was deleted",
                                null);
                    }
                    jdbc.update("DELETE FROM gobstopper_archive_batches WHERE batch = ?", batch);
                    return new ArchiveResult(rows, files(batch));
                },
                null));
    }

    /**
     * Renames a batch's files from {@code .parquet.tmp} to {@code .parquet} once all are written, so readers of the
     * archive never see a file half written.
     */
    private void publish(String batch) {
        for (String file : files(batch)) {
            if (file.endsWith(".tmp")) {
                Path written = archivePath.resolve(file);
                String name = written.getFileName().toString();
                try {
                    Files.move(
                            written,
                            written.resolveSibling(name.substring(0, name.length() - ".tmp".length())),
                            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException ex) {
                    throw new TaskStoreException(
                            "Could not publish the archive file " + file + " in " + archivePath + ": " + ex, ex);
                }
            }
        }
    }

    /** The files of a batch, relative to the archive folder, with {@code /} between names. */
    private List<String> files(String batch) {
        try (Stream<Path> files = Files.walk(archivePath)) {
            return files.filter(file -> file.getFileName().toString().contains(batch))
                    .map(file -> archivePath.relativize(file).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        } catch (IOException ex) {
            throw new TaskStoreException("Could not list the archive folder " + archivePath + ": " + ex, ex);
        }
    }

    private void deleteFiles(String batch) {
        for (String file : files(batch)) {
            try {
                Files.deleteIfExists(archivePath.resolve(file));
            } catch (IOException ex) {
                throw new TaskStoreException(
                        "Could not replace the archive file " + file + " in " + archivePath + ": " + ex, ex);
            }
        }
    }

    /** A SQL string literal (for statements such as COPY that take no parameters). */
    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
