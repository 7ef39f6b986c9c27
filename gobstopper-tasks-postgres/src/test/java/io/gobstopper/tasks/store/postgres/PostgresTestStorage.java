package io.gobstopper.tasks.store.postgres;

import io.gobstopper.tasks.contract.TestStorage;
import io.gobstopper.tasks.store.TaskStore;
import java.time.Duration;

/**
 * A schema of its own in the test PostgreSQL database, dropped when the test ends. Every store made on it is the same
 * instance (one node id) restarted, with a short poll interval so that tests need not wait long for the backstop.
 */
public final class PostgresTestStorage implements TestStorage {

    public static final String NODE_ID = "contract-node";

    public static final Duration LEASE_TIMEOUT = Duration.ofSeconds(30);

    public static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private final PostgresDatabase database = PostgresDatabase.create();

    /** The database and schema, for tests that look at rows directly. */
    public PostgresDatabase database() {
        return database;
    }

    @Override
    public TaskStore create() {
        return new PostgresTaskStore(database.dataSource(), database.schema(), NODE_ID, LEASE_TIMEOUT, POLL_INTERVAL);
    }

    @Override
    public void close() {
        database.drop();
    }
}
