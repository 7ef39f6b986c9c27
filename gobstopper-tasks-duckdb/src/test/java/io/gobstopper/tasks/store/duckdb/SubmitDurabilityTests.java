package io.gobstopper.tasks.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A submit that returned is never lost, even when the process is killed while four threads keep submitting. */
class SubmitDurabilityTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void everySubmitThatReturnedBeforeAKillIsStoredAfterTheRestart() throws Exception {
        Path db = dir.resolve("flood.duckdb");
        List<UUID> accepted = new ArrayList<>();
        try (ChildJvm child = ChildJvm.start(SubmitFloodChild.class, db.toString())) {
            child.expect("ready", WAIT);
            while (accepted.size() < 500) {
                accepted.add(UUID.fromString(child.expect("accepted", WAIT).get(0)));
            }
            child.kill(); // mid-stream: submits are in every stage of being stored
        }

        try (DuckDbTaskStore store = new DuckDbTaskStore(db, Duration.ofMillis(50))) {
            store.open(Instant.now());
            assertThat(accepted)
                    .allSatisfy(
                            id -> assertThat(store.find(id)).as("task %s", id).isPresent());
        }
    }
}
