package io.gobstopper.tasks.store;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The DuckDB store under its old name.
 *
 * @deprecated moved to the module {@code gobstopper-tasks-duckdb}: use
 *     {@link io.gobstopper.tasks.store.duckdb.DuckDbTaskStore}
 */
@Deprecated
public final class DuckDbTaskStore extends io.gobstopper.tasks.store.duckdb.DuckDbTaskStore {

    public DuckDbTaskStore(Path path, Duration writeDelay) {
        super(path, writeDelay);
    }

    public DuckDbTaskStore(Path path, Duration writeDelay, Path archivePath) {
        super(path, writeDelay, archivePath);
    }
}
