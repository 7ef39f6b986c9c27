package io.gobstopper.tasks.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.ChildJvm;
import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.engine.EngineFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A delayed task keeps its time across a kill -9 of a process on the DuckDB store, and runs once after it. */
class DelayedCrashTests {

    @TempDir
    Path dir;

    @Test
    void aDelayedTaskSurvivesAKillAndRunsOnceAfterItsTime() throws Exception {
        DuckDbTestStorage storage = new DuckDbTestStorage(dir);
        Path db = storage.file();
        Path log = dir.resolve("runs.log");
        UUID id;
        Instant runAt;
        try (ChildJvm child = ChildJvm.start(DelayedCrashChild.class, db.toString(), log.toString(), "3000")) {
            List<String> submitted = child.expect("submitted", Duration.ofSeconds(60));
            id = UUID.fromString(submitted.get(0));
            runAt = DelayedCrashChild.fromMicros(Long.parseLong(submitted.get(1)));
            child.kill();
        }
        DelayedCrashChild.LoggingTasks tasks = new DelayedCrashChild.LoggingTasks(log);
        assertThat(tasks.lines()).as("nothing ran before the kill").isEmpty();

        try (EngineFixture fixture = EngineFixture.start(storage, EngineFixture.SETTINGS, tasks)) {
            TaskInfo recovered = fixture.engine().get(id).orElseThrow();
            assertThat(Instant.now())
                    .as("the engine reopened before the task's time")
                    .isBefore(runAt);
            assertThat(recovered.status()).isEqualTo(TaskStatus.PENDING);
            assertThat(recovered.runAt()).isEqualTo(runAt);

            TaskInfo done = fixture.awaitStatus(id, TaskStatus.SUCCESS);

            assertThat(done.retryCount()).isZero();
            assertThat(done.startedAt()).isAfterOrEqualTo(runAt);
            assertThat(tasks.lines()).singleElement().satisfies(line -> {
                String[] words = line.split(" ");
                assertThat(words[1]).isEqualTo(id.toString());
                Instant started = DelayedCrashChild.fromMicros(Long.parseLong(words[2]));
                assertThat(started).as("started at or after its runAt").isAfterOrEqualTo(runAt);
            });
            assertThat(fixture.engine().list(TaskFilter.all()).tasks())
                    .extracting(TaskInfo::id)
                    .containsExactly(id);
        }
    }
}
