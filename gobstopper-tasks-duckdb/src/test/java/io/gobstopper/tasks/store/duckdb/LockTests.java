package io.gobstopper.tasks.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.gobstopper.tasks.ChildJvm;
import io.gobstopper.tasks.TaskStoreException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One DuckDB file serves one process: a second process is refused with a message that says what to do. */
class LockTests {

    @TempDir
    Path dir;

    @Test
    void aFileHeldByAnotherProcessIsRefusedNamingTheFileAndTheRule() throws Exception {
        Path file = dir.resolve("locked.duckdb");
        String absolute = file.toAbsolutePath().normalize().toString();
        try (ChildJvm child = ChildJvm.start(LockChild.class, absolute)) {
            List<String> ready = child.expect("ready", Duration.ofSeconds(60));
            assertThat(ready).containsExactly(Long.toString(child.pid()));

            DuckDbTaskStore second = new DuckDbTaskStore(file, Duration.ofMillis(50));
            assertThatExceptionOfType(TaskStoreException.class)
                    .isThrownBy(() -> second.open(Instant.now()))
                    .withMessageContaining(absolute)
                    .withMessageContaining("is in use by another process (PID " + child.pid() + ")")
                    .withMessageContaining("One DuckDB file serves one running instance");

            child.kill();
            try (DuckDbTaskStore afterwards = new DuckDbTaskStore(file, Duration.ofMillis(50))) {
                assertThat(afterwards.open(Instant.now()))
                        .as("the file is free once the holder is gone")
                        .isEmpty();
            }
        }
    }
}
