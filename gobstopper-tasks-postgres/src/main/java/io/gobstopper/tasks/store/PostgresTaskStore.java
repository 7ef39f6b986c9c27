package io.gobstopper.tasks.store;

import java.time.Duration;
import javax.sql.DataSource;

/**
 * The PostgreSQL store under its old name.
 *
 * @deprecated moved to the module {@code gobstopper-tasks-postgres}: use
 *     {@link io.gobstopper.tasks.store.postgres.PostgresTaskStore}
 */
@Deprecated
public final class PostgresTaskStore extends io.gobstopper.tasks.store.postgres.PostgresTaskStore {

    public PostgresTaskStore(
            DataSource dataSource, String schema, String nodeId, Duration leaseTimeout, Duration pollInterval) {
        super(dataSource, schema, nodeId, leaseTimeout, pollInterval);
    }
}
