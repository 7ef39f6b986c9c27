package io.gobstopper.tasks.boot.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The real PostgreSQL the postgres-store tests run against: {@code GOBSTOPPER_TEST_POSTGRES_URL} (user and password in
 * the URL), or {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}. Each test takes a schema of its own, named
 * {@code gt_<16 hex>}, and drops it afterwards. When the database cannot be reached the tests fail, saying how to
 * start it; they never skip.
 */
public final class TestPostgres {

    public static final String URL = System.getenv()
            .getOrDefault("GOBSTOPPER_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private TestPostgres() {}

    /** A fresh schema name, after checking that the database answers (fails the test if it does not). */
    public static String newSchema() {
        try (Connection connection = connect()) {
            connection.isValid(5);
        } catch (SQLException ex) {
            throw new IllegalStateException(
                    "PostgreSQL is not reachable at " + URL + " (" + ex.getMessage() + "). "
                            + "Start it (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start; .ci/run "
                            + "does) or point GOBSTOPPER_TEST_POSTGRES_URL at one.",
                    ex);
        }
        return "gt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** {@link #URL} with more parameters, e.g. {@code ApplicationName=x}. */
    public static String url(String parameters) {
        return URL + (URL.contains("?") ? "&" : "?") + parameters;
    }

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(URL);
    }

    /** Runs one statement. */
    public static void execute(String sql) {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException ex) {
            throw new IllegalStateException("Could not run: " + sql, ex);
        }
    }

    /** The single number a query answers. */
    public static long count(String sql) {
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException ex) {
            throw new IllegalStateException("Could not run: " + sql, ex);
        }
    }

    public static boolean schemaExists(String schema) {
        return count("SELECT count(*) FROM information_schema.schemata WHERE schema_name = '" + schema + "'") > 0;
    }

    /** How many connections to the database carry this application name. */
    public static long connectionsNamed(String applicationName) {
        return count("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + applicationName + "'");
    }

    public static void dropSchema(String schema) {
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
}
