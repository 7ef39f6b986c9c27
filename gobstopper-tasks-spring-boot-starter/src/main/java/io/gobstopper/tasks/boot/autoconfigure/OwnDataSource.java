package io.gobstopper.tasks.boot.autoconfigure;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The postgres task store's own HikariCP pool ({@code gobstopper.tasks.postgres.datasource.*}). A class of its own so
 * that HikariCP, an optional dependency, is only loaded when the pool is wanted. Its connection timeout is the
 * store's unavailable-timeout, so that no request waits longer for a database that is away.
 */
final class OwnDataSource {

    static final String POOL_NAME = "gobstopper-tasks";

    private final HikariDataSource pool;

    OwnDataSource(String url, String username, String password, Duration unavailableTimeout) {
        HikariDataSource pool = new HikariDataSource(); // connects on first use, when the store opens
        pool.setPoolName(POOL_NAME);
        pool.setJdbcUrl(url);
        pool.setUsername(username);
        pool.setPassword(password);
        pool.setConnectionTimeout(unavailableTimeout.toMillis());
        pool.setValidationTimeout(Math.min(unavailableTimeout.toMillis(), pool.getValidationTimeout()));
        this.pool = pool;
    }

    DataSource dataSource() {
        return pool;
    }

    void close() {
        pool.close();
    }
}
