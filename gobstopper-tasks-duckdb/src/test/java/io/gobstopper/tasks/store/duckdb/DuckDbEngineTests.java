package io.gobstopper.tasks.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.engine.EngineFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the engine does with the DuckDB file in particular; the store-neutral behaviour is in the contracts. */
class DuckDbEngineTests {

    @TempDir
    Path dir;

    private static Path file(EngineFixture fixture) {
        return ((DuckDbTestStorage) fixture.storage()).file();
    }

    @Test
    void noDatabaseFileIsCreatedBeforeStart() {
        try (EngineFixture fixture = EngineFixture.unstarted(new DuckDbTestStorage(dir))) {
            assertThat(fixture.engine().health().healthy()).isFalse();
            assertThat(Files.exists(file(fixture)))
                    .as("no database file before start")
                    .isFalse();
        }
    }

    @Test
    void submitAndSubmitAsyncAnswerWithTasksTheTableHoldsOnceTheWriterCaughtUp() throws Exception {
        // that an answered submit survives a crash is shown by SubmitDurabilityTests and JournalRestoreTests
        try (EngineFixture fixture = EngineFixture.start(new DuckDbTestStorage(dir))) {
            fixture.engine().resizeWorkers("paused", 0);

            UUID sync = fixture.submitIn("paused", "record", "sync");
            UUID async = fixture.engine()
                    .submitAsync(TaskRequest.builder("record")
                            .args("async")
                            .category("paused")
                            .build())
                    .get(10, TimeUnit.SECONDS);
            fixture.engine().list(TaskFilter.all()); // waits for pending writes
            assertThat(committedRows(file(fixture), sync)).isEqualTo(1);
            assertThat(committedRows(file(fixture), async)).isEqualTo(1);
        }
    }

    /** Counts the task's rows through a connection of its own, which sees committed rows only. */
    private static long committedRows(Path file, UUID id) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
                PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM tasks WHERE id = ?")) {
            statement.setObject(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
