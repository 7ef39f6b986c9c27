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
    private final int queueWindow;

    public DuckDbTestStorage(Path dir) {
        this(dir, DuckDbTaskStore.DEFAULT_QUEUE_WINDOW);
    }

    /** @param queueWindow the most due tasks per category and priority the store's engine holds in memory */
    public DuckDbTestStorage(Path dir, int queueWindow) {
        this.file = dir.resolve("tasks.duckdb");
        this.queueWindow = queueWindow;
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    @Override
    public TaskStore create() {
        return new DuckDbTaskStore(file, WRITE_DELAY, Path.of(DuckDbTaskStore.DEFAULT_ARCHIVE_PATH), queueWindow);
    }

    @Override
    public void close() {}
}
