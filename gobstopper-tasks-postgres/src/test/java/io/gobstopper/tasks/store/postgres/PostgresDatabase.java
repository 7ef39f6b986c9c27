package io.gobstopper.tasks.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The real PostgreSQL the shared-store tests run against: {@code GOBSTOPPER_TEST_POSTGRES_URL} (user and password
 * in the URL), or {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}. Each test gets a schema of its own,
 * dropped afterwards, so runs never collide. When the database cannot be reached the tests fail, saying how to start
 * it; they never skip.
 */
public final class PostgresDatabase implements AutoCloseable {

    public static final String URL = System.getenv()
            .getOrDefault("GOBSTOPPER_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private final HikariDataSource dataSource;
    private final String schema;

    private PostgresDatabase(String schema, int poolSize) {
        this.schema = schema;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(URL);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("test-" + schema);
        this.dataSource = new HikariDataSource(config);
    }

    /** A fresh schema name and a pool on the test database; fails with a clear message if PostgreSQL is down. */
    public static PostgresDatabase create() {
        return create(12);
    }

    public static PostgresDatabase create(int poolSize) {
        String schema = "gt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try {
            return new PostgresDatabase(schema, poolSize);
        } catch (RuntimeException ex) {
            throw new IllegalStateException(
                    "PostgreSQL is not reachable at " + URL + " (" + ex.getMessage() + "). "
                            + "Start it (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start; .ci/run "
                            + "does) or point GOBSTOPPER_TEST_POSTGRES_URL at one.",
                    ex);
        }
    }

    /** A schema of an existing name, e.g. one a child JVM shares with its parent. */
    public static PostgresDatabase of(String schema, int poolSize) {
        return new PostgresDatabase(schema, poolSize);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public String schema() {
        return schema;
    }

    /** Drops the test's schema and closes the pool. */
    public void drop() {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException ex) {
            throw new IllegalStateException("Could not drop test schema " + schema, ex);
        } finally {
            dataSource.close();
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
