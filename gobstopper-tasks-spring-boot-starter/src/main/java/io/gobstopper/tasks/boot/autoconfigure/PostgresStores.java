package io.gobstopper.tasks.boot.autoconfigure;

import io.gobstopper.tasks.store.TaskStore;
import io.gobstopper.tasks.store.postgres.PostgresTaskStore;
import java.time.Duration;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * Makes the PostgreSQL store, checking each setting by the store's own rules. A class of its own so that the module
 * {@code gobstopper-tasks-postgres} is only loaded when the store is wanted.
 */
final class PostgresStores {

    /**
     * Stands in for the data source while the store's rules judge one setting at a time; the store connects only when
     * it opens, so this one is never used.
     */
    private static final DataSource PROBE = new SimpleDriverDataSource();

    private final String prefix;

    /** @param prefix the properties' prefix, for the names in refusals */
    PostgresStores(String prefix) {
        this.prefix = prefix;
    }

    /** Judges each setting alone by the store's own rules, so that a refusal names the one property at fault. */
    void check(String schema, String nodeId, Duration leaseTimeout, Duration pollInterval) {
        check(
                "postgres.schema",
                schema,
                () -> new PostgresTaskStore(PROBE, schema, "probe", Duration.ofSeconds(30), Duration.ofSeconds(1)));
        check(
                "postgres.node-id",
                nodeId,
                () -> new PostgresTaskStore(PROBE, "probe", nodeId, Duration.ofSeconds(30), Duration.ofSeconds(1)));
        check(
                "postgres.lease-timeout",
                leaseTimeout,
                () -> new PostgresTaskStore(PROBE, "probe", "probe", leaseTimeout, Duration.ofSeconds(1)));
        check(
                "postgres.poll-interval",
                pollInterval,
                () -> new PostgresTaskStore(PROBE, "probe", "probe", Duration.ofSeconds(30), pollInterval));
    }

    /** Judges the unavailable-timeout by the store's own rules. */
    void checkUnavailableTimeout(Duration unavailableTimeout) {
        check(
                "postgres.unavailable-timeout",
                unavailableTimeout,
                () -> new PostgresTaskStore(
                        PROBE, "probe", "probe", Duration.ofSeconds(30), Duration.ofSeconds(1), unavailableTimeout));
    }

    TaskStore create(
            DataSource dataSource,
            String schema,
            String nodeId,
            Duration leaseTimeout,
            Duration pollInterval,
            Duration unavailableTimeout) {
        return new PostgresTaskStore(dataSource, schema, nodeId, leaseTimeout, pollInterval, unavailableTimeout);
    }

    private void check(String name, Object value, Supplier<?> check) {
        try {
            check.get();
        } catch (IllegalArgumentException ex) {
            throw new InvalidConfigurationPropertyValueException(prefix + name, value, ex.getMessage());
        }
    }
}
