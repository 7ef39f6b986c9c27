package io.gobstopper.tasks.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.contract.TestStorage;
import io.gobstopper.tasks.store.LiveTask;
import io.gobstopper.tasks.store.TaskStore;
import io.gobstopper.tasks.store.TaskStoreContract;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;

/** The DuckDB store held to the store contract. */
class DuckDbTaskStoreContractTests extends TaskStoreContract {

    @TempDir
    Path dir;

    @Override
    protected TestStorage storage() {
        return new DuckDbTestStorage(dir);
    }

    @Override
    protected LiveTask take(TaskStore store, UUID id, String category, Instant now) {
        LiveTask task = store.tracked(id);
        assertThat(task).as("task %s is held to run", id).isNotNull();
        return task;
    }
}
