package io.gobstopper.tasks.boot.autoconfigure;

import io.gobstopper.tasks.engine.TaskEngineSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the task system, under {@code gobstopper.tasks}. Properties that were renamed keep working under
 * their old names; read them through the methods that resolve both names, such as {@link #duckdbPath()}.
 */
@ConfigurationProperties("gobstopper.tasks")
public class GobstopperTasksProperties {

    private static final Logger log = LoggerFactory.getLogger(GobstopperTasksProperties.class);

    private static final String PREFIX = "gobstopper.tasks.";

    private static final String DUCKDB_GROUP = "Grouped with the other settings of the DuckDB store.";

    private static final String POSTGRES_GROUP = "Grouped with the other settings of the postgres store.";

    private static final String WEB_GROUP =
            "Who may write over the REST API is a setting of the REST API, not of the " + "dashboard page.";

    /** The old names already warned about, so that each is logged once. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /**
     * Whether the task system runs. When false nothing is created (no database file, no threads), and the REST API
     * answers 503.
     */
    private boolean enabled = false;

    /** Old name of duckdb.path: the DuckDB file that stores the tasks. */
    private String databasePath;

    /** Old name of duckdb.archive-path: the folder archived tasks are written to as Parquet. */
    private String archivePath;

    /** Worker threads per category (0-256; 0 pauses a category). */
    private int workers = 2;

    /** How long shutdown waits for running tasks before it interrupts them and leaves them PENDING for the next start. */
    private Duration shutdownTimeout = Duration.ofSeconds(30);

    /** Ended tasks older than this are deleted by an hourly cleanup. 0 keeps every task. */
    private Duration retention = Duration.ofDays(30);

    /**
     * What the periodic retention cleanup does with ended tasks older than the retention: delete them, or archive
     * them to Parquet under duckdb.archive-path (store=duckdb only).
     */
    private TaskEngineSettings.RetentionMode retentionMode = TaskEngineSettings.RetentionMode.DELETE;

    /**
     * Most unfinished (PENDING, STARTED or RETRY) tasks per category; past it a submit is refused (HTTP 429 with
     * Retry-After). 0 for no limit.
     */
    private int queueCapacity = 0;

    /**
     * A waiting task moves up one priority level per this much waiting, so low-priority work is not starved by a
     * steady stream of higher-priority work. 0 switches aging off.
     */
    private Duration priorityAging = Duration.ofMinutes(1);

    /** Backoff between retries of a failed task. */
    private final Retry retry = new Retry();

    /** Per-category overrides of workers, retry backoff, queue capacity and rate, by category name. */
    private final Map<String, Category> categories = new LinkedHashMap<>();

    /**
     * Per-task overrides of {@code @BackgroundTask(cron, zone)}, by task name; a cron here also makes a registered
     * task without arguments recurring.
     */
    private final Map<String, Schedule> schedules = new LinkedHashMap<>();

    /** The REST API. */
    private final Web web = new Web();

    /** The dashboard page. */
    private final Dashboard dashboard = new Dashboard();

    /** The {@code tasks} health component. */
    private final Health health = new Health();

    /**
     * Where tasks are stored: duckdb (a file that one running instance owns), postgres (a schema that several
     * instances share; needs a DataSource), or memory (nothing survives the JVM: for an application's tests).
     */
    private Store store = Store.DUCKDB;

    /** Old name of postgres.node-id: this instance's name among the instances that share a postgres store. */
    private String nodeId;

    /** Old name of postgres.lease-timeout: how long a silent instance keeps its running tasks. */
    private Duration leaseTimeout;

    /** Old name of postgres.poll-interval: how often idle workers look for work besides being notified. */
    private Duration pollInterval;

    /** The DuckDB store. */
    private final Duckdb duckdb = new Duckdb();

    /** The postgres store. */
    private final Postgres postgres = new Postgres();

    /** Old name of postgres.datasource: a database of the postgres store's own. */
    private final RenamedDatasource datasource = new RenamedDatasource();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * The old name's value, {@code null} when unset; {@link #duckdbPath()} is the file in effect.
     *
     * @deprecated use {@code gobstopper.tasks.duckdb.path} ({@link Duckdb#getPath()})
     */
    @Deprecated
    @DeprecatedConfigurationProperty(replacement = PREFIX + "duckdb.path", reason = DUCKDB_GROUP)
    public String getDatabasePath() {
        return databasePath;
    }

    /** @deprecated use {@code gobstopper.tasks.duckdb.path} ({@link Duckdb#setPath(String)}) */
    @Deprecated
    public void setDatabasePath(String databasePath) {
        this.databasePath = databasePath;
    }

    /**
     * The old name's value, {@code null} when unset; {@link #duckdbArchivePath()} is the folder in effect.
     *
     * @deprecated use {@code gobstopper.tasks.duckdb.archive-path} ({@link Duckdb#getArchivePath()})
     */
    @Deprecated
    @DeprecatedConfigurationProperty(replacement = PREFIX + "duckdb.archive-path", reason = DUCKDB_GROUP)
    public String getArchivePath() {
        return archivePath;
    }

    /** @deprecated use {@code gobstopper.tasks.duckdb.archive-path} ({@link Duckdb#setArchivePath(String)}) */
    @Deprecated
    public void setArchivePath(String archivePath) {
        this.archivePath = archivePath;
    }

    public int getWorkers() {
        return workers;
    }

    public void setWorkers(int workers) {
        this.workers = workers;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public Duration getRetention() {
        return retention;
    }

    public void setRetention(Duration retention) {
        this.retention = retention;
    }

    public TaskEngineSettings.RetentionMode getRetentionMode() {
        return retentionMode;
    }

    public void setRetentionMode(TaskEngineSettings.RetentionMode retentionMode) {
        this.retentionMode = retentionMode;
    }

    public int getQueueCapacity() {
        return queueCapacity;
    }

    public void setQueueCapacity(int queueCapacity) {
        this.queueCapacity = queueCapacity;
    }

    public Duration getPriorityAging() {
        return priorityAging;
    }

    public void setPriorityAging(Duration priorityAging) {
        this.priorityAging = priorityAging;
    }

    public Retry getRetry() {
        return retry;
    }

    public Map<String, Category> getCategories() {
        return categories;
    }

    public Map<String, Schedule> getSchedules() {
        return schedules;
    }

    public Web getWeb() {
        return web;
    }

    public Health getHealth() {
        return health;
    }

    public Dashboard getDashboard() {
        return dashboard;
    }

    public Store getStore() {
        return store;
    }

    public void setStore(Store store) {
        this.store = store;
    }

    /**
     * The old name's value, {@code null} when unset; {@link #postgresNodeId()} is the name in effect.
     *
     * @deprecated use {@code gobstopper.tasks.postgres.node-id} ({@link Postgres#getNodeId()})
     */
    @Deprecated
    @DeprecatedConfigurationProperty(replacement = PREFIX + "postgres.node-id", reason = POSTGRES_GROUP)
    public String getNodeId() {
        return nodeId;
    }

    /** @deprecated use {@code gobstopper.tasks.postgres.node-id} ({@link Postgres#setNodeId(String)}) */
    @Deprecated
    public void setNodeId(String nodeId) {
        this.nodeId = nodeId;
    }

    /**
     * The old name's value, {@code null} when unset; {@link #postgresLeaseTimeout()} is the timeout in effect.
     *
     * @deprecated use {@code gobstopper.tasks.postgres.lease-timeout} ({@link Postgres#getLeaseTimeout()})
     */
    @Deprecated
    @DeprecatedConfigurationProperty(replacement = PREFIX + "postgres.lease-timeout", reason = POSTGRES_GROUP)
    public Duration getLeaseTimeout() {
        return leaseTimeout;
    }

    /** @deprecated use {@code gobstopper.tasks.postgres.lease-timeout} ({@link Postgres#setLeaseTimeout(Duration)}) */
    @Deprecated
    public void setLeaseTimeout(Duration leaseTimeout) {
        this.leaseTimeout = leaseTimeout;
    }

    /**
     * The old name's value, {@code null} when unset; {@link #postgresPollInterval()} is the interval in effect.
     *
     * @deprecated use {@code gobstopper.tasks.postgres.poll-interval} ({@link Postgres#getPollInterval()})
     */
    @Deprecated
    @DeprecatedConfigurationProperty(replacement = PREFIX + "postgres.poll-interval", reason = POSTGRES_GROUP)
    public Duration getPollInterval() {
        return pollInterval;
    }

    /** @deprecated use {@code gobstopper.tasks.postgres.poll-interval} ({@link Postgres#setPollInterval(Duration)}) */
    @Deprecated
    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    public Duckdb getDuckdb() {
        return duckdb;
    }

    public Postgres getPostgres() {
        return postgres;
    }

    /**
     * The old names' values; {@link #postgresDatasource()} is the database in effect.
     *
     * @deprecated use {@code gobstopper.tasks.postgres.datasource.*} ({@link Postgres#getDatasource()})
     */
    @Deprecated
    public RenamedDatasource getDatasource() {
        return datasource;
    }

    // ---- the values in effect of the renamed properties: every reader goes through these ----

    /** The DuckDB file in effect: {@code duckdb.path}, or its old name {@code database-path}. */
    public String duckdbPath() {
        return renamed("database-path", databasePath, "duckdb.path", duckdb.path, duckdb.pathSet);
    }

    /** The archive folder in effect: {@code duckdb.archive-path}, or its old name {@code archive-path}. */
    public String duckdbArchivePath() {
        return renamed("archive-path", archivePath, "duckdb.archive-path", duckdb.archivePath, duckdb.archivePathSet);
    }

    /** This instance's configured name in effect, empty when unset: {@code postgres.node-id}, or {@code node-id}. */
    public String postgresNodeId() {
        return renamed("node-id", nodeId, "postgres.node-id", postgres.nodeId, postgres.nodeIdSet);
    }

    /** The lease timeout in effect: {@code postgres.lease-timeout}, or its old name {@code lease-timeout}. */
    public Duration postgresLeaseTimeout() {
        return renamed(
                "lease-timeout",
                leaseTimeout,
                "postgres.lease-timeout",
                postgres.leaseTimeout,
                postgres.leaseTimeoutSet);
    }

    /** The poll interval in effect: {@code postgres.poll-interval}, or its old name {@code poll-interval}. */
    public Duration postgresPollInterval() {
        return renamed(
                "poll-interval",
                pollInterval,
                "postgres.poll-interval",
                postgres.pollInterval,
                postgres.pollIntervalSet);
    }

    /**
     * The postgres store's own database in effect, each of url, username and password from
     * {@code postgres.datasource.*} or its old name {@code datasource.*}; a copy, its url unset for the application's
     * DataSource.
     */
    public Datasource postgresDatasource() {
        Datasource own = postgres.datasource;
        Datasource resolved = new Datasource();
        resolved.setUrl(renamed("datasource.url", datasource.url, "postgres.datasource.url", own.url, own.url != null));
        resolved.setUsername(renamed(
                "datasource.username",
                datasource.username,
                "postgres.datasource.username",
                own.username,
                own.username != null));
        resolved.setPassword(renamed(
                "datasource.password",
                datasource.password,
                "postgres.datasource.password",
                own.password,
                own.password != null));
        return resolved;
    }

    /** Whether the REST API refuses management operations: {@code web.read-only}, or {@code dashboard.read-only}. */
    public boolean webReadOnly() {
        return renamed("dashboard.read-only", dashboard.readOnly, "web.read-only", web.readOnly, web.readOnlySet);
    }

    /** The role the REST API's writes need with Spring Security: {@code web.write-role}, or {@code dashboard.role}. */
    public String webWriteRole() {
        return renamed("dashboard.role", dashboard.role, "web.write-role", web.writeRole, web.writeRoleSet);
    }

    /**
     * The value in effect of a renamed property: the new name's when the old one is unset; the old name's, with one
     * WARN, when only it is set; and a startup failure naming both when both are set to different values.
     */
    private <T> T renamed(String oldName, T oldValue, String newName, T newValue, boolean newSet) {
        if (oldValue == null) {
            return newValue;
        }
        if (newSet && !oldValue.equals(newValue)) {
            throw new InvalidConfigurationPropertyValueException(
                    PREFIX + oldName,
                    oldName.endsWith("password") ? "******" : oldValue,
                    "it is the old name of " + PREFIX + newName + ", which is set to another value; keep only " + PREFIX
                            + newName);
        }
        if (warned.add(oldName)) {
            log.warn("{}{} is deprecated and will be removed: rename it to {}{}", PREFIX, oldName, PREFIX, newName);
        }
        return oldValue;
    }

    /** Where tasks are stored. */
    public enum Store {

        /** A DuckDB file ({@code gobstopper.tasks.duckdb.path}) that one running instance owns. */
        DUCKDB,

        /** A PostgreSQL schema ({@code gobstopper.tasks.postgres.schema}) that several instances share. */
        POSTGRES,

        /** Memory only, for an application's tests: no file, no database, nothing survives the JVM. */
        MEMORY
    }

    /** The postgres store. */
    public static class Postgres {

        /**
         * PostgreSQL schema of the store's tables, created when missing: a lower-case identifier of 1-40 letters,
         * digits and '_' that does not start with a digit. Instances that share tasks use the same schema.
         */
        private String schema = "gobstopper";

        /**
         * This instance's name among the instances that share the store, 1-200 characters without ':'; empty for the
         * host name and process id. Two running instances must not use the same name.
         */
        private String nodeId = "";

        /**
         * How long a silent instance (crashed, paused) keeps its running tasks before another instance takes them
         * over and runs them again; renewed every third of it. At least 100ms.
         */
        private Duration leaseTimeout = Duration.ofSeconds(30);

        /**
         * How often idle workers look for work besides being notified, and how often expired leases are swept. At
         * least 10ms.
         */
        private Duration pollInterval = Duration.ofSeconds(1);

        /**
         * Longest a request waits for the database before it is answered 503 (with Retry-After) as unavailable: the
         * connection timeout of the store's own pool, and the wait before refused requests try again. Once a request
         * found the database away, further requests are refused at once until a probe, every second, finds it back.
         * With the application's DataSource, give its pool a connection timeout this short (e.g.
         * spring.datasource.hikari.connection-timeout). At least 250ms.
         */
        private Duration unavailableTimeout = Duration.ofSeconds(1);

        /** A database of the store's own; when its url is unset, the store uses the application's DataSource. */
        private final Datasource datasource = new Datasource();

        // whether the setters ran, i.e. the properties are set, even to their defaults: see renamed(...)
        private boolean nodeIdSet;
        private boolean leaseTimeoutSet;
        private boolean pollIntervalSet;

        public String getSchema() {
            return schema;
        }

        public void setSchema(String schema) {
            this.schema = schema;
        }

        public String getNodeId() {
            return nodeId;
        }

        public void setNodeId(String nodeId) {
            this.nodeId = nodeId;
            this.nodeIdSet = true;
        }

        public Duration getLeaseTimeout() {
            return leaseTimeout;
        }

        public void setLeaseTimeout(Duration leaseTimeout) {
            this.leaseTimeout = leaseTimeout;
            this.leaseTimeoutSet = true;
        }

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
            this.pollIntervalSet = true;
        }

        public Duration getUnavailableTimeout() {
            return unavailableTimeout;
        }

        public void setUnavailableTimeout(Duration unavailableTimeout) {
            this.unavailableTimeout = unavailableTimeout;
        }

        public Datasource getDatasource() {
            return datasource;
        }
    }

    /** The DuckDB store. */
    public static class Duckdb {

        /**
         * The DuckDB file that stores the tasks, relative to the working directory; one file serves one running
         * instance.
         */
        private String path = "gobstopper_tasks.duckdb";

        /**
         * The folder archived tasks are written to as Parquet files partitioned by day, relative to the working
         * directory.
         */
        private String archivePath = "gobstopper-archive";

        /**
         * Most due tasks per category and priority held in memory (about 350 bytes each); a larger backlog waits in
         * the DuckDB file only and is read back in priority-then-FIFO order as workers need it, so heap does not
         * grow with the backlog. 0 holds every unfinished task in memory.
         */
        private int queueWindow = 50_000;

        // whether the setters ran, i.e. the properties are set, even to their defaults: see renamed(...)
        private boolean pathSet;
        private boolean archivePathSet;

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
            this.pathSet = true;
        }

        public String getArchivePath() {
            return archivePath;
        }

        public void setArchivePath(String archivePath) {
            this.archivePath = archivePath;
            this.archivePathSet = true;
        }

        public int getQueueWindow() {
            return queueWindow;
        }

        public void setQueueWindow(int queueWindow) {
            this.queueWindow = queueWindow;
        }
    }

    /**
     * A connection pool of the postgres store's own (HikariCP), never exposed as a bean; used instead of the
     * application's DataSource when its url is set ({@code gobstopper.tasks.postgres.datasource.*}).
     */
    public static class Datasource {

        /**
         * JDBC URL of the store's own database, e.g. jdbc:postgresql://db:5432/app; unset to use the application's
         * DataSource.
         */
        private String url;

        /** Login user of the store's own database. */
        private String username;

        /** Login password of the store's own database. */
        private String password;

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }
    }

    /** The old names of {@code gobstopper.tasks.postgres.datasource.*}, each kept apart from its new name. */
    public static class RenamedDatasource {

        /** Old name of postgres.datasource.url: JDBC URL of the store's own database. */
        private String url;

        /** Old name of postgres.datasource.username: login user of the store's own database. */
        private String username;

        /** Old name of postgres.datasource.password: login password of the store's own database. */
        private String password;

        /** @deprecated use {@code gobstopper.tasks.postgres.datasource.url} */
        @Deprecated
        @DeprecatedConfigurationProperty(replacement = PREFIX + "postgres.datasource.url", reason = POSTGRES_GROUP)
        public String getUrl() {
            return url;
        }

        /** @deprecated use {@code gobstopper.tasks.postgres.datasource.url} */
        @Deprecated
        public void setUrl(String url) {
            this.url = url;
        }

        /** @deprecated use {@code gobstopper.tasks.postgres.datasource.username} */
        @Deprecated
        @DeprecatedConfigurationProperty(replacement = PREFIX + "postgres.datasource.username", reason = POSTGRES_GROUP)
        public String getUsername() {
            return username;
        }

        /** @deprecated use {@code gobstopper.tasks.postgres.datasource.username} */
        @Deprecated
        public void setUsername(String username) {
            this.username = username;
        }

        /** @deprecated use {@code gobstopper.tasks.postgres.datasource.password} */
        @Deprecated
        @DeprecatedConfigurationProperty(replacement = PREFIX + "postgres.datasource.password", reason = POSTGRES_GROUP)
        public String getPassword() {
            return password;
        }

        /** @deprecated use {@code gobstopper.tasks.postgres.datasource.password} */
        @Deprecated
        public void setPassword(String password) {
            this.password = password;
        }
    }

    /** Exponential backoff: the n-th retry waits {@code min(initial-delay * multiplier^(n-1), max-delay)}. */
    public static class Retry {

        /** Wait before the first retry. */
        private Duration initialDelay = Duration.ofSeconds(2);

        /** Factor by which each further wait grows (1.0 or more). */
        private double multiplier = 2.0;

        /** Longest wait between retries. */
        private Duration maxDelay = Duration.ofSeconds(60);

        public Duration getInitialDelay() {
            return initialDelay;
        }

        public void setInitialDelay(Duration initialDelay) {
            this.initialDelay = initialDelay;
        }

        public double getMultiplier() {
            return multiplier;
        }

        public void setMultiplier(double multiplier) {
            this.multiplier = multiplier;
        }

        public Duration getMaxDelay() {
            return maxDelay;
        }

        public void setMaxDelay(Duration maxDelay) {
            this.maxDelay = maxDelay;
        }
    }

    /** Overrides for one category; anything left unset follows the global setting. */
    /** The {@code tasks} health component. */
    public static class Health {

        /**
         * Status of the {@code tasks} health component while a category is overdue (its oldest waiting task has waited
         * longer than its max-wait). DEGRADED answers HTTP 200 and ranks between DOWN and UP; set DOWN to fail
         * readiness instead.
         */
        private String overdueStatus = "DEGRADED";

        public String getOverdueStatus() {
            return overdueStatus;
        }

        public void setOverdueStatus(String overdueStatus) {
            this.overdueStatus = overdueStatus;
        }
    }

    public static class Category {

        /** Worker threads of this category (0-256). */
        private Integer workers;

        /** Backoff of this category's retries. */
        private final CategoryRetry retry = new CategoryRetry();

        /** Most unfinished tasks of this category (0 for no limit); unset follows gobstopper.tasks.queue-capacity. */
        private Integer queueCapacity;

        /**
         * Most task starts of this category per period, written {@code <starts>/<period>}, e.g. {@code 100/1s} or
         * {@code 600/1m}. Unset for no limit.
         */
        private String rate;

        /**
         * Longest a task of this category should wait for a worker; past it the category is overdue and the
         * {@code tasks} health component reports gobstopper.tasks.health.overdue-status. Unset for no target.
         */
        private Duration maxWait;

        public Duration getMaxWait() {
            return maxWait;
        }

        public void setMaxWait(Duration maxWait) {
            this.maxWait = maxWait;
        }

        public Integer getWorkers() {
            return workers;
        }

        public void setWorkers(Integer workers) {
            this.workers = workers;
        }

        public Integer getQueueCapacity() {
            return queueCapacity;
        }

        public void setQueueCapacity(Integer queueCapacity) {
            this.queueCapacity = queueCapacity;
        }

        public String getRate() {
            return rate;
        }

        public void setRate(String rate) {
            this.rate = rate;
        }

        public CategoryRetry getRetry() {
            return retry;
        }
    }

    /** A category's backoff; unset values follow {@code gobstopper.tasks.retry.*}. */
    public static class CategoryRetry {

        /** Wait before the first retry. */
        private Duration initialDelay;

        /** Factor by which each further wait grows. */
        private Double multiplier;

        /** Longest wait between retries. */
        private Duration maxDelay;

        public Duration getInitialDelay() {
            return initialDelay;
        }

        public void setInitialDelay(Duration initialDelay) {
            this.initialDelay = initialDelay;
        }

        public Double getMultiplier() {
            return multiplier;
        }

        public void setMultiplier(Double multiplier) {
            this.multiplier = multiplier;
        }

        public Duration getMaxDelay() {
            return maxDelay;
        }

        public void setMaxDelay(Duration maxDelay) {
            this.maxDelay = maxDelay;
        }

        boolean isSet() {
            return initialDelay != null || multiplier != null || maxDelay != null;
        }
    }

    /** A task's schedule, overriding its {@code @BackgroundTask(cron, zone)}. */
    public static class Schedule {

        /**
         * Cron expression with six fields (second, minute, hour, day of month, month, day of week); "-" switches the
         * task's schedule off.
         */
        private String cron;

        /** Time zone the cron expression is read in, e.g. Europe/Paris; unset keeps the declaration's (UTC if none). */
        private String zone;

        public String getCron() {
            return cron;
        }

        public void setCron(String cron) {
            this.cron = cron;
        }

        public String getZone() {
            return zone;
        }

        public void setZone(String zone) {
            this.zone = zone;
        }
    }

    /** The REST API. */
    public static class Web {

        /** Whether the REST API is served. */
        private boolean enabled = true;

        /** Path under which the REST API is served. */
        private String basePath = "/api/tasks";

        /** Largest request body the REST API accepts; larger ones are refused with 413. */
        private DataSize maxBodySize = DataSize.ofMegabytes(1);

        /**
         * Whether the management operations are refused with 403: cancel, retry, delete, bulk-retry, cleanup,
         * archive, resizing a category and pausing, resuming or triggering a schedule (and so the dashboard's actions,
         * which use them). Reading and submitting tasks are not affected.
         */
        private boolean readOnly = false;

        /**
         * Role a user must have for the REST API's writes (submit, cancel, retry, delete, bulk-retry, cleanup, archive,
         * resize, schedule pause/resume/trigger) when Spring Security is present; an authority of that name or with the
         * ROLE_ prefix counts. Anonymous callers get 401, others without the role 403. Ignored without Spring
         * Security.
         */
        private String writeRole = "TASKS_ADMIN";

        /** The live event stream, GET {base-path}/events. */
        private final Events events = new Events();

        // whether the setters ran, i.e. the properties are set, even to their defaults: see renamed(...)
        private boolean readOnlySet;
        private boolean writeRoleSet;

        public Events getEvents() {
            return events;
        }

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getBasePath() {
            return basePath;
        }

        public void setBasePath(String basePath) {
            this.basePath = basePath;
        }

        public DataSize getMaxBodySize() {
            return maxBodySize;
        }

        public void setMaxBodySize(DataSize maxBodySize) {
            this.maxBodySize = maxBodySize;
        }

        public boolean isReadOnly() {
            return readOnly;
        }

        public void setReadOnly(boolean readOnly) {
            this.readOnly = readOnly;
            this.readOnlySet = true;
        }

        public String getWriteRole() {
            return writeRole;
        }

        public void setWriteRole(String writeRole) {
            this.writeRole = writeRole;
            this.writeRoleSet = true;
        }
    }

    /** The live event stream, {@code GET {base-path}/events} (Server-Sent Events). */
    public static class Events {

        /** Whether GET {base-path}/events streams the tasks' life-cycle changes and the stats. */
        private boolean enabled = true;

        /**
         * Most events waiting to be sent to one client; a client that falls this far behind is dropped (its stream
         * ends and a WARN names it), so a slow client never slows the task system.
         */
        private int bufferSize = 1000;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getBufferSize() {
            return bufferSize;
        }

        public void setBufferSize(int bufferSize) {
            this.bufferSize = bufferSize;
        }
    }

    /** The dashboard page, and who may see it. */
    public static class Dashboard {

        /** Whether the dashboard page is served. */
        private boolean enabled = true;

        /** Path of the dashboard page; everything under it belongs to the dashboard. */
        private String path = "/gobstopper";

        /**
         * Whether the dashboard answers requests from other machines when Spring Security is absent. Without Spring
         * Security, and while this is false, only requests from the local machine (a loopback address) get the
         * dashboard; others get 403. With Spring Security, the application's security rules decide instead.
         */
        private boolean allowRemote = false;

        /** Old name of web.read-only: whether the management operations are refused with 403. */
        private Boolean readOnly;

        /** Old name of web.write-role: role a user must have for the REST API's writes with Spring Security. */
        private String role;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public boolean isAllowRemote() {
            return allowRemote;
        }

        public void setAllowRemote(boolean allowRemote) {
            this.allowRemote = allowRemote;
        }

        /**
         * The old name's value, {@code null} when unset; {@link GobstopperTasksProperties#webReadOnly()} is the
         * setting in effect.
         *
         * @deprecated use {@code gobstopper.tasks.web.read-only} ({@link Web#isReadOnly()})
         */
        @Deprecated
        @DeprecatedConfigurationProperty(replacement = PREFIX + "web.read-only", reason = WEB_GROUP)
        public Boolean getReadOnly() {
            return readOnly;
        }

        /** @deprecated use {@code gobstopper.tasks.web.read-only} ({@link Web#setReadOnly(boolean)}) */
        @Deprecated
        public void setReadOnly(Boolean readOnly) {
            this.readOnly = readOnly;
        }

        /**
         * The old name's value, {@code null} when unset; {@link GobstopperTasksProperties#webWriteRole()} is the role
         * in effect.
         *
         * @deprecated use {@code gobstopper.tasks.web.write-role} ({@link Web#getWriteRole()})
         */
        @Deprecated
        @DeprecatedConfigurationProperty(replacement = PREFIX + "web.write-role", reason = WEB_GROUP)
        public String getRole() {
            return role;
        }

        /** @deprecated use {@code gobstopper.tasks.web.write-role} ({@link Web#setWriteRole(String)}) */
        @Deprecated
        public void setRole(String role) {
            this.role = role;
        }
    }
}
