package io.gobstopper.tasks.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.gobstopper.tasks.ExportFormat;
import io.gobstopper.tasks.GobstopperTasks;
import io.gobstopper.tasks.ManagedTaskQueue;
import io.gobstopper.tasks.TaskAnalytics;
import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.UnsupportedStoreOperationException;
import io.gobstopper.tasks.contract.ExpectedAnalytics;
import io.gobstopper.tasks.store.TaskArchive;
import io.gobstopper.tasks.store.support.TextExport;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Analytics of the PostgreSQL store ({@code percentile_cont ... WITHIN GROUP}) against the same figures computed in
 * Java, on generated rows; archive and Parquet refused as DuckDB-only; csv and json exports.
 */
class PostgresAnalyticsTests {

    @TempDir
    Path dir;

    private final PostgresDatabase database = PostgresDatabase.create(4);
    private PostgresTaskStore store;
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
        database.drop();
    }

    @Test
    void analyticsEqualFiguresComputedInJavaForBothGroupings() throws Exception {
        List<ExpectedAnalytics.Row> rows = ExpectedAnalytics.generate(now, 20_000, 7);
        store = new PostgresTaskStore(
                database.dataSource(), database.schema(), "analytics", Duration.ofSeconds(30), Duration.ofSeconds(1));
        store.open(now);
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO " + database.schema()
                                + ".tasks (id, name, category, priority, max_retries, args, kwargs, created_at, status, "
                                + "started_at, completed_at, run_at) VALUES (?::uuid, ?, ?, 2, 0, '[]', '{}', ?, ?, ?, ?, ?)")) {
            connection.setAutoCommit(false);
            int n = 0;
            for (ExpectedAnalytics.Row row : rows) {
                insert.setString(1, row.id());
                insert.setString(2, row.name());
                insert.setString(3, row.category());
                insert.setObject(4, ts(row.created()));
                insert.setString(5, row.status().name());
                insert.setObject(6, ts(row.started()));
                insert.setObject(7, ts(row.completed()));
                insert.setObject(8, ts(row.runAt()));
                insert.addBatch();
                if (++n % 1000 == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
            connection.commit();
        }
        Duration since = Duration.ofHours(24);
        for (TaskAnalytics.GroupBy groupBy : TaskAnalytics.GroupBy.values()) {
            ExpectedAnalytics.assertMatches(store.analytics(since, now, groupBy), rows, now, since, groupBy);
        }
    }

    @Test
    void archivingAndParquetAreRefusedNamingTheDuckDbStore() throws Exception {
        assertThat(new PostgresTaskStore(
                        database.dataSource(),
                        database.schema(),
                        "analytics",
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(1)))
                .isNotInstanceOf(TaskArchive.class);
        try (ManagedTaskQueue tasks = GobstopperTasks.builder()
                .store(new PostgresTaskStore(
                        database.dataSource(),
                        database.schema(),
                        "analytics",
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(1)))
                .build()) {
            tasks.start();
            assertThatExceptionOfType(UnsupportedStoreOperationException.class)
                    .isThrownBy(() -> tasks.archive(Duration.ZERO))
                    .withMessageContaining("DuckDB-only");
            assertThatExceptionOfType(UnsupportedStoreOperationException.class)
                    .isThrownBy(() ->
                            tasks.export(TaskFilter.all(), ExportFormat.PARQUET, new java.io.ByteArrayOutputStream()))
                    .withMessageContaining("DuckDB-only");
        }
    }

    @Test
    void exportStreamsCsvAndJsonWithAwkwardTextIntactAndDeclaresNoParquet() throws Exception {
        store = new PostgresTaskStore(
                database.dataSource(), database.schema(), "analytics", Duration.ofSeconds(30), Duration.ofSeconds(1));
        store.open(now);
        String awkward = "boom, \"quoted\"\nsecond line \\ done";
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO " + database.schema()
                        + ".tasks (id, name, category, priority, max_retries, args, kwargs, created_at, status, "
                        + "started_at, completed_at, error) VALUES (gen_random_uuid(), ?, 'exports', 2, 0, '[1]', "
                        + "'{}', now(), ?, now(), now(), ?)")) {
            for (int i = 0; i < 3; i++) {
                insert.setString(1, "export_" + i);
                insert.setString(2, i == 0 ? "SUCCESS" : "FAILED");
                insert.setString(3, i == 0 ? null : awkward);
                insert.executeUpdate();
            }
        }
        TaskFilter failed = new TaskFilter("exports", io.gobstopper.tasks.TaskStatus.FAILED, null, 50, 0);

        java.io.ByteArrayOutputStream json = new java.io.ByteArrayOutputStream();
        store.export(failed, ExportFormat.JSON, json);
        tools.jackson.databind.JsonNode array =
                tools.jackson.databind.json.JsonMapper.builder().build().readTree(json.toByteArray());
        assertThat(array.isArray()).isTrue();
        assertThat(array.size()).isEqualTo(2);
        assertThat(array.get(0).path("error").asString()).isEqualTo(awkward);
        assertThat(array.get(0).path("status").asString()).isEqualTo("FAILED");
        assertThat(array.get(0).path("priority").isNumber()).isTrue();
        assertThat(array.get(0).path("created_at").asString()).matches("\\d{4}-\\d{2}-\\d{2}T.*\\.\\d{6}Z");
        assertThat(array.get(0).path("unique_key").isNull()).isTrue();

        java.io.ByteArrayOutputStream csv = new java.io.ByteArrayOutputStream();
        store.export(failed, ExportFormat.CSV, csv);
        String text = csv.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text).startsWith(String.join(",", TextExport.COLUMNS) + "\n");
        assertThat(text).contains("\"boom, \"\"quoted\"\"\nsecond line \\ done\"");

        java.io.ByteArrayOutputStream none = new java.io.ByteArrayOutputStream();
        store.export(new TaskFilter("nothing-here", null, null, 50, 0), ExportFormat.JSON, none);
        assertThat(none.toString(java.nio.charset.StandardCharsets.UTF_8).strip())
                .isEqualTo("[]");

        assertThat(store.exportFormats())
                .as("Parquet is DuckDB-only")
                .containsExactlyInAnyOrder(ExportFormat.CSV, ExportFormat.JSON);
    }

    private static java.time.OffsetDateTime ts(Long micros) {
        return micros == null
                ? null
                : java.time.OffsetDateTime.ofInstant(
                        Instant.EPOCH.plus(micros, ChronoUnit.MICROS), java.time.ZoneOffset.UTC);
    }
}
