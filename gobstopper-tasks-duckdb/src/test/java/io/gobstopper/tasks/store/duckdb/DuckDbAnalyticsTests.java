package io.gobstopper.tasks.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import io.gobstopper.tasks.ArchiveResult;
import io.gobstopper.tasks.ExportFormat;
import io.gobstopper.tasks.GobstopperTasks;
import io.gobstopper.tasks.TaskAnalytics;
import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.TaskStoreException;
import io.gobstopper.tasks.contract.ExpectedAnalytics;
import io.gobstopper.tasks.engine.TaskEngine;
import io.gobstopper.tasks.engine.TaskEngineSettings;
import io.gobstopper.tasks.engine.TaskRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Analytics, archive and export of the DuckDB store, checked against figures computed independently in Java from the
 * generated rows.
 */
class DuckDbAnalyticsTests {

    /**
     * Realistic ended, failed, cancelled and a few pending tasks created over the 48 hours before {@code ?} (micros):
     * some with a run-at, some failed or cancelled without starting.
     */
    static final String GENERATE = """
            INSERT INTO tasks (id, name, category, priority, max_retries, args, kwargs, created_at, status, started_at,
                               completed_at, run_at, retry_count, progress)
            SELECT uuid(), 'task_' || (i % 7), 'cat_' || (i % 3), 2, 0, '[]', '{}', make_timestamp(c), st,
                   CASE WHEN started THEN make_timestamp(due + w) END,
                   CASE WHEN st <> 'PENDING' THEN make_timestamp(due + w + x) END,
                   CASE WHEN i % 5 = 0 THEN make_timestamp(due) END, 0, 0
            FROM (SELECT i, c, CASE WHEN i % 5 = 0 THEN c + 1000000 ELSE c END AS due, w, x, st,
                         st = 'SUCCESS' OR (st = 'FAILED' AND i % 11 <> 0) OR (st = 'CANCELLED' AND i % 2 = 0) AS started
                  FROM (SELECT i, ?::BIGINT - (hash(i) % 172800000000)::BIGINT AS c,
                               (hash(i * 7 + 1) % (30000000 + 1000000 * (i % 7)))::BIGINT AS w,
                               (hash(i * 13 + 5) % (120000000 * (1 + i % 3)))::BIGINT AS x,
                               CASE WHEN i % 97 = 0 THEN 'PENDING' WHEN i % 13 = 0 THEN 'FAILED'
                                    WHEN i % 17 = 0 THEN 'CANCELLED' ELSE 'SUCCESS' END AS st
                        FROM range(?) t(i)))
            """;

    @TempDir
    Path dir;

    private DuckDbTaskStore store;
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void analyticsOnOneHundredThousandRowsEqualFiguresComputedInJava() throws Exception {
        Path file = generate(100_000);
        List<ExpectedAnalytics.Row> rows = rows("jdbc:duckdb:" + file, "tasks");
        store = new DuckDbTaskStore(file, Duration.ofMillis(20), dir.resolve("archive"));
        store.open(now);
        Duration since = Duration.ofHours(24);
        for (TaskAnalytics.GroupBy groupBy : TaskAnalytics.GroupBy.values()) {
            long begin = System.nanoTime();
            TaskAnalytics analytics = store.analytics(since, now, groupBy);
            System.out.printf(
                    "analytics by %s on %d rows: %.1f ms%n", groupBy, rows.size(), (System.nanoTime() - begin) / 1e6);
            ExpectedAnalytics.assertMatches(analytics, rows, now, since, groupBy);
        }
    }

    @Test
    void archivedTasksAreWrittenToParquetOnceAndStillCountWithIncludeArchive() throws Exception {
        Path file = generate(3_000);
        List<ExpectedAnalytics.Row> before = rows("jdbc:duckdb:" + file, "tasks");
        Path archive = dir.resolve("archive");
        store = new DuckDbTaskStore(file, Duration.ofMillis(20), archive);
        store.open(now);
        Duration since = Duration.ofDays(3);
        TaskAnalytics expected = store.analyticsWithArchive(since, now, TaskAnalytics.GroupBy.NAME);

        ArchiveResult result = store.archiveCompletedBefore(now.minus(Duration.ofHours(12)));

        long old = before.stream()
                .filter(row -> row.ended() && row.completed() < micros(now.minus(Duration.ofHours(12))))
                .count();
        assertThat(result.archived()).isEqualTo(old).isPositive();
        assertThat(result.files())
                .isNotEmpty()
                .allMatch(name -> name.matches("day=\\d{4}-\\d{2}-\\d{2}/batch-.*\\.parquet"));
        assertThat(store.analyticsWithArchive(since, now, TaskAnalytics.GroupBy.NAME))
                .isEqualTo(expected);
        assertThat(store.analytics(since, now, TaskAnalytics.GroupBy.NAME).groups().stream()
                        .mapToLong(TaskAnalytics.Group::total)
                        .sum())
                .isEqualTo(before.size() - old);
        store.close();
        store = null;
        assertEveryTaskOnce(file, archive, before);
    }

    @Test
    void aCrashBetweenWritingFilesAndDeletingRowsNeitherLosesNorDuplicatesTasks() throws Exception {
        Path file = generate(3_000);
        List<ExpectedAnalytics.Row> before = rows("jdbc:duckdb:" + file, "tasks");
        Path archive = dir.resolve("archive");
        store = new DuckDbTaskStore(file, Duration.ofMillis(20), archive);
        store.open(now);
        Duration since = Duration.ofDays(3);
        TaskAnalytics expected = store.analyticsWithArchive(since, now, TaskAnalytics.GroupBy.CATEGORY);
        store.afterArchiveWritten(() -> {
            throw new TaskStoreException("simulated crash after writing the archive files", null);
        });

        assertThatExceptionOfType(TaskStoreException.class)
                .isThrownBy(() -> store.archiveCompletedBefore(now.minus(Duration.ofHours(12))));

        try (var files = Files.walk(archive)) {
            assertThat(files.filter(path -> path.toString().endsWith(".parquet"))
                            .count())
                    .as("the files were written before the crash")
                    .isPositive();
        }
        assertThat(store.analytics(since, now, TaskAnalytics.GroupBy.NAME).groups().stream()
                        .mapToLong(TaskAnalytics.Group::total)
                        .sum())
                .as("no row was deleted")
                .isEqualTo(before.size());
        assertThat(store.analyticsWithArchive(since, now, TaskAnalytics.GroupBy.CATEGORY))
                .as("the written but undeleted batch counts once")
                .isEqualTo(expected);

        store.afterArchiveWritten(null);
        ArchiveResult rerun = store.archiveCompletedBefore(now.minus(Duration.ofHours(12)));

        long old = before.stream()
                .filter(row -> row.ended() && row.completed() < micros(now.minus(Duration.ofHours(12))))
                .count();
        assertThat(rerun.archived()).isEqualTo(old);
        assertThat(store.analyticsWithArchive(since, now, TaskAnalytics.GroupBy.CATEGORY))
                .isEqualTo(expected);
        store.close();
        store = null;
        assertEveryTaskOnce(file, archive, before);
    }

    @Test
    void aBatchInterruptedBeforeItsDeleteIsFinishedWhenTheStoreOpensAgain() throws Exception {
        Path file = generate(2_000);
        List<ExpectedAnalytics.Row> before = rows("jdbc:duckdb:" + file, "tasks");
        Path archive = dir.resolve("archive");
        store = new DuckDbTaskStore(file, Duration.ofMillis(20), archive);
        store.open(now);
        store.afterArchiveWritten(() -> {
            throw new TaskStoreException("simulated crash after writing the archive files", null);
        });
        assertThatExceptionOfType(TaskStoreException.class)
                .isThrownBy(() -> store.archiveCompletedBefore(now.minus(Duration.ofHours(6))));
        store.close();

        store = new DuckDbTaskStore(file, Duration.ofMillis(20), archive);
        store.open(now);
        store.close();
        store = null;

        assertEveryTaskOnce(file, archive, before);
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
                ResultSet rs =
                        connection.createStatement().executeQuery("SELECT count(*) FROM gobstopper_archive_batches")) {
            rs.next();
            assertThat(rs.getLong(1)).as("no batch left pending").isZero();
        }
    }

    @Test
    void theRetentionCleanupArchivesInsteadOfDeletingInArchiveMode() throws Exception {
        Path file = generate(2_000);
        List<ExpectedAnalytics.Row> before = rows("jdbc:duckdb:" + file, "tasks");
        Path archive = dir.resolve("archive");
        JsonMapper mapper = JsonMapper.builder().build();
        TaskEngineSettings settings = TaskEngineSettings.DEFAULTS
                .withRetention(Duration.ofHours(12), Duration.ofMillis(100))
                .withRetentionMode(TaskEngineSettings.RetentionMode.ARCHIVE);
        try (TaskEngine engine = (TaskEngine) GobstopperTasks.builder()
                .registry(new TaskRegistry(mapper))
                .store(new DuckDbTaskStore(file, Duration.ofMillis(20), archive))
                .settings(settings)
                .mapper(mapper)
                .build()) {
            engine.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> engine.stats().total() < before.size() / 2);
        }
        assertEveryTaskOnce(file, archive, before);
        long cutoff = micros(Instant.now().minus(Duration.ofHours(12)));
        assertThat(rows("jdbc:duckdb:", "read_parquet('" + archive + "/**/*.parquet')"))
                .as("only tasks that ended before the retention are archived")
                .allMatch(row -> row.completed() < cutoff);
        assertThat(rows("jdbc:duckdb:" + file, "tasks"))
                .as("every ended task past the retention (with a minute's slack) is archived")
                .noneMatch(row -> row.ended() && row.completed() < cutoff - 60_000_000L);
    }

    @Test
    void exportWritesTheFilteredTasksAsCsvJsonAndParquet() throws Exception {
        Path file = generate(500);
        List<ExpectedAnalytics.Row> before = rows("jdbc:duckdb:" + file, "tasks");
        store = new DuckDbTaskStore(file, Duration.ofMillis(20), dir.resolve("archive"));
        store.open(now);
        TaskFilter failed = new TaskFilter("cat_1", TaskStatus.FAILED, null, TaskFilter.DEFAULT_LIMIT, 0);
        long expected = before.stream()
                .filter(row -> row.category().equals("cat_1") && row.status() == TaskStatus.FAILED)
                .count();

        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        store.export(failed, ExportFormat.CSV, csv);
        List<String> lines = csv.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).startsWith("id,name,category,priority,status,created_at");
        assertThat(lines).hasSize((int) expected + 1);
        assertThat(lines.get(1))
                .contains(",cat_1,")
                .contains(",FAILED,")
                .containsPattern("T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z");

        ByteArrayOutputStream json = new ByteArrayOutputStream();
        store.export(failed, ExportFormat.JSON, json);
        String text = json.toString(StandardCharsets.UTF_8).strip();
        assertThat(text).startsWith("[").endsWith("]");
        assertThat(text.split("\"status\":\"FAILED\"", -1)).hasSize((int) expected + 1);

        ByteArrayOutputStream quoted = new ByteArrayOutputStream();
        store.export(new TaskFilter("it's; DROP TABLE tasks; --", null, null, 50, 0), ExportFormat.CSV, quoted);
        assertThat(quoted.toString(StandardCharsets.UTF_8).lines())
                .as("a quote in a filter is a value, not SQL")
                .hasSize(1);

        ByteArrayOutputStream parquet = new ByteArrayOutputStream();
        store.export(failed, ExportFormat.PARQUET, parquet);
        Path copy = dir.resolve("export.parquet");
        Files.write(copy, parquet.toByteArray());
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                ResultSet rs = connection
                        .createStatement()
                        .executeQuery("SELECT count(*), count(*) FILTER (WHERE "
                                + "status = 'FAILED' AND category = 'cat_1') FROM read_parquet('" + copy + "')")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(expected);
            assertThat(rs.getLong(2)).isEqualTo(expected);
        }
    }

    // ---- helpers ----

    private Path generate(int count) throws Exception {
        Path file = dir.resolve("tasks.duckdb");
        DuckDbTaskStore schema = new DuckDbTaskStore(file, Duration.ofMillis(20), dir.resolve("archive"));
        schema.open(now);
        schema.close();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
                PreparedStatement insert = connection.prepareStatement(GENERATE)) {
            insert.setLong(1, micros(now));
            insert.setLong(2, count);
            insert.executeUpdate();
        }
        return file;
    }

    static long micros(Instant instant) {
        return DuckDbRows.micros(instant);
    }

    static List<ExpectedAnalytics.Row> rows(String url, String source) throws Exception {
        List<ExpectedAnalytics.Row> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement();
                ResultSet rs =
                        statement.executeQuery("SELECT id::VARCHAR, name, category, status, epoch_us(created_at), "
                                + "epoch_us(started_at), epoch_us(completed_at), epoch_us(run_at) FROM " + source)) {
            while (rs.next()) {
                rows.add(new ExpectedAnalytics.Row(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        TaskStatus.valueOf(rs.getString(4)),
                        rs.getLong(5),
                        (Long) rs.getObject(6, Long.class),
                        (Long) rs.getObject(7, Long.class),
                        (Long) rs.getObject(8, Long.class)));
            }
        }
        return rows;
    }

    /** Every task generated is either still in the table or in exactly one archived Parquet row, never both. */
    private static void assertEveryTaskOnce(Path file, Path archive, List<ExpectedAnalytics.Row> before)
            throws Exception {
        List<ExpectedAnalytics.Row> live = rows("jdbc:duckdb:" + file, "tasks");
        List<ExpectedAnalytics.Row> archived =
                rows("jdbc:duckdb:", "read_parquet('" + archive + "/**/*.parquet', hive_partitioning = true)");
        assertThat(archived).isNotEmpty();
        List<String> all = new ArrayList<>();
        live.forEach(row -> all.add(row.id()));
        archived.forEach(row -> all.add(row.id()));
        assertThat(all).doesNotHaveDuplicates().hasSameSizeAs(before);
        assertThat(new HashSet<>(all))
                .isEqualTo(new HashSet<>(
                        before.stream().map(ExpectedAnalytics.Row::id).toList()));
        assertThat(new HashSet<>(archived)).isSubsetOf(before);
        assertThat(archived).allMatch(ExpectedAnalytics.Row::ended);
    }

    @SuppressWarnings("unused")
    private static Set<String> ids(List<ExpectedAnalytics.Row> rows) {
        return new HashSet<>(rows.stream().map(ExpectedAnalytics.Row::id).toList());
    }
}
