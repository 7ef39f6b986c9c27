package io.gobstopper.tasks.store.duckdb;

import io.gobstopper.tasks.contract.TestStorage;
import io.gobstopper.tasks.store.TaskStore;
import java.nio.file.Path;
import java.time.Duration;

/** A DuckDB file in a test's folder; the folder is the test's, so nothing is left to forget. */
public final class DuckDbTestStorage implements TestStorage {

    /** How long the writer may hold a change back; short, so that tests see changes stored soon. */
    public static final Duration WRITE_DELAY = Duration.ofMillis(50);

    private final Path file;

    public DuckDbTestStorage(Path dir) {
        this.file = dir.resolve("tasks.duckdb");
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    @Override
    public TaskStore create() {
        return new DuckDbTaskStore(file, WRITE_DELAY);
    }

    @Override
    public void close() {}
}
