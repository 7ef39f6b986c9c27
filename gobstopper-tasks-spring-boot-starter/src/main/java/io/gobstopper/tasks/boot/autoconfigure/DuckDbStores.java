package io.gobstopper.tasks.boot.autoconfigure;

import io.gobstopper.tasks.store.TaskStore;
import io.gobstopper.tasks.store.duckdb.DuckDbTaskStore;
import java.nio.file.Path;

/**
 * Makes the DuckDB store. A class of its own so that the module {@code gobstopper-tasks-duckdb}, which an application
 * on PostgreSQL may exclude, is only loaded when the store is wanted.
 */
final class DuckDbStores {

    private DuckDbStores() {}

    static TaskStore create(String path, String archivePath, int queueWindow) {
        return new DuckDbTaskStore(
                Path.of(path), DuckDbTaskStore.DEFAULT_WRITE_DELAY, Path.of(archivePath), queueWindow);
    }
}
