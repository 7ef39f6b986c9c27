package io.gobstopper.tasks.boot.autoconfigure;

import io.gobstopper.tasks.engine.TaskEngine;
import io.gobstopper.tasks.store.TaskStore;
import io.gobstopper.tasks.store.memory.InMemoryTaskStore;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Makes the store that {@code gobstopper.tasks.store} names: the DuckDB file, or the PostgreSQL schema on the
 * application's single {@link DataSource} or on a pool of the store's own
 * ({@code gobstopper.tasks.postgres.datasource.url}).
 * That pool is never a bean, so it cannot compete with the application's; it is closed when the context closes,
 * after the engine has stopped.
 */
final class TaskStoreFactory implements DisposableBean {

    private static final String PREFIX = "gobstopper.tasks.";

    /** The DuckDB store, of the module {@code gobstopper-tasks-duckdb}, which the starter brings by default. */
    static final String DUCKDB_STORE_CLASS = "io.gobstopper.tasks.store.duckdb.DuckDbTaskStore";

    /** The PostgreSQL store, of the module {@code gobstopper-tasks-postgres}, which the starter brings too. */
    static final String POSTGRES_STORE_CLASS = "io.gobstopper.tasks.store.postgres.PostgresTaskStore";

    /** A class of the PostgreSQL JDBC driver that the postgres store uses directly (LISTEN/NOTIFY). */
    static final String POSTGRES_DRIVER_CLASS = "org.postgresql.PGConnection";

    static final String HIKARI_CLASS = "com.zaxxer.hikari.HikariDataSource";

    private final GobstopperTasksProperties properties;
    private final ObjectProvider<DataSource> dataSources;
    private final ClassLoader classLoader;
    private volatile OwnDataSource ownDataSource;

    TaskStoreFactory(
            GobstopperTasksProperties properties, ObjectProvider<DataSource> dataSources, ClassLoader classLoader) {
        this.properties = properties;
        this.dataSources = dataSources;
        this.classLoader = classLoader;
    }

    /** A new, unopened store as configured; fails startup naming what to add or set when it cannot be made. */
    TaskStore create() {
        return switch (properties.getStore()) {
            case DUCKDB -> duckdb();
            case POSTGRES -> postgres();
            case MEMORY -> new InMemoryTaskStore();
        };
    }

    /** This instance's name in a postgres store; {@code null} with DuckDB, which one instance owns. */
    String nodeId() {
        if (properties.getStore() != GobstopperTasksProperties.Store.POSTGRES) {
            return null;
        }
        String nodeId = properties.postgresNodeId();
        return StringUtils.hasText(nodeId) ? nodeId : TaskEngine.defaultNodeId();
    }

    private TaskStore duckdb() {
        if (!ClassUtils.isPresent(DUCKDB_STORE_CLASS, classLoader)) {
            throw new StoreSetupException(
                    "gobstopper.tasks.store=duckdb (the default) needs the module "
                            + "io.gobstopper:gobstopper-tasks-duckdb, which is not on the class path (was it excluded from the "
                            + "starter?).",
                    "Set gobstopper.tasks.store=postgres to keep the tasks in PostgreSQL, or add the "
                            + "dependency io.gobstopper:gobstopper-tasks-duckdb back.");
        }
        int queueWindow = properties.getDuckdb().getQueueWindow();
        if (queueWindow < 0) {
            throw new InvalidConfigurationPropertyValueException(
                    "gobstopper.tasks.duckdb.queue-window",
                    queueWindow,
                    "The queue window must be 0 (every unfinished task held in memory) or more, e.g. 50000.");
        }
        return DuckDbStores.create(properties.duckdbPath(), properties.duckdbArchivePath(), queueWindow);
    }

    private TaskStore postgres() {
        if (!ClassUtils.isPresent(POSTGRES_STORE_CLASS, classLoader)) {
            throw new StoreSetupException(
                    "gobstopper.tasks.store=postgres needs the module "
                            + "io.gobstopper:gobstopper-tasks-postgres, which is not on the class path (was it excluded from "
                            + "the starter?).",
                    "Add the dependency io.gobstopper:gobstopper-tasks-postgres, or set "
                            + "gobstopper.tasks.store=duckdb.");
        }
        if (!ClassUtils.isPresent(POSTGRES_DRIVER_CLASS, classLoader)) {
            throw new StoreSetupException(
                    "gobstopper.tasks.store=postgres needs the PostgreSQL JDBC driver, which is not on the class path.",
                    "Add the dependency org.postgresql:postgresql to the application (runtime scope is enough), or "
                            + "set gobstopper.tasks.store=duckdb.");
        }
        PostgresStores stores = new PostgresStores(PREFIX);
        String schema = properties.getPostgres().getSchema();
        String nodeId = nodeId();
        Duration leaseTimeout = properties.postgresLeaseTimeout();
        Duration pollInterval = properties.postgresPollInterval();
        Duration unavailableTimeout = properties.getPostgres().getUnavailableTimeout();
        stores.check(schema, nodeId, leaseTimeout, pollInterval);
        stores.checkUnavailableTimeout(unavailableTimeout);
        return stores.create(
                dataSource(unavailableTimeout), schema, nodeId, leaseTimeout, pollInterval, unavailableTimeout);
    }

    /**
     * The store's own pool when {@code gobstopper.tasks.postgres.datasource.url} is set, else the application's
     * DataSource.
     */
    private DataSource dataSource(Duration unavailableTimeout) {
        GobstopperTasksProperties.Datasource own = properties.postgresDatasource();
        if (!StringUtils.hasText(own.getUrl())) {
            if (StringUtils.hasText(own.getUsername()) || own.getPassword() != null) {
                throw new InvalidConfigurationPropertyValueException(
                        PREFIX + "postgres.datasource.url",
                        own.getUrl(),
                        "it must be set when gobstopper.tasks.postgres.datasource.username or .password is; without "
                                + "it the store uses the application's DataSource and those two are ignored");
            }
            return applicationDataSource();
        }
        if (!own.getUrl().startsWith("jdbc:postgresql:")) {
            throw new InvalidConfigurationPropertyValueException(
                    PREFIX + "postgres.datasource.url",
                    own.getUrl(),
                    "it must be a PostgreSQL JDBC URL, e.g. jdbc:postgresql://127.0.0.1:5432/app");
        }
        if (!ClassUtils.isPresent(HIKARI_CLASS, classLoader)) {
            throw new StoreSetupException(
                    "gobstopper.tasks.postgres.datasource.url is set, and the task "
                            + "store's own connection pool needs HikariCP, which is not on the class path.",
                    "Add the dependency com.zaxxer:HikariCP (spring-boot-starter-jdbc brings it), or remove "
                            + "gobstopper.tasks.postgres.datasource.url to use the application's DataSource.");
        }
        OwnDataSource pool = new OwnDataSource(own.getUrl(), own.getUsername(), own.getPassword(), unavailableTimeout);
        ownDataSource = pool;
        return pool.dataSource();
    }

    private DataSource applicationDataSource() {
        DataSource unique = dataSources.getIfUnique();
        if (unique != null) {
            return unique;
        }
        List<DataSource> all = dataSources.stream().toList();
        String found = all.isEmpty()
                ? "The application has no DataSource bean"
                : "The application has " + all.size() + " DataSource beans and none is @Primary";
        throw new StoreSetupException(
                "gobstopper.tasks.store=postgres needs a DataSource to reach " + "PostgreSQL. " + found
                        + ", and gobstopper.tasks.postgres.datasource.url is not set.",
                "Set spring.datasource.url (with spring.datasource.username and spring.datasource.password) so that "
                        + "Spring Boot makes the application's DataSource, which the tasks then share (a submit "
                        + "joins the caller's transaction); or set gobstopper.tasks.postgres.datasource.url (with "
                        + ".username and .password) for a connection pool of the task store's own.");
    }

    @Override
    public void destroy() {
        OwnDataSource pool = ownDataSource;
        if (pool != null) {
            pool.close();
        }
    }
}
