package io.gobstopper.tasks.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.entry;

import io.gobstopper.tasks.engine.RateLimit;
import io.gobstopper.tasks.engine.TaskEngineSettings;
import io.gobstopper.tasks.engine.TaskEngineSettings.ScheduleOverride;
import io.gobstopper.tasks.retry.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class GobstopperTasksPropertiesTests {

    @Test
    void defaultsEqualTheEngineDefaults() {
        GobstopperTasksProperties properties = new GobstopperTasksProperties();
        assertThat(properties.isEnabled()).isFalse();
        assertThat(properties.getDatabasePath()).isEqualTo("gobstopper_tasks.duckdb");
        assertThat(properties.getWorkers()).isEqualTo(TaskEngineSettings.DEFAULTS.workers());
        assertThat(properties.getShutdownTimeout()).isEqualTo(TaskEngineSettings.DEFAULTS.shutdownTimeout());
        assertThat(properties.getRetention()).isEqualTo(TaskEngineSettings.DEFAULTS.retention());
        assertThat(properties.getRetry().getInitialDelay()).isEqualTo(RetryPolicy.DEFAULT.initialDelay());
        assertThat(properties.getRetry().getMultiplier()).isEqualTo(RetryPolicy.DEFAULT.multiplier());
        assertThat(properties.getRetry().getMaxDelay()).isEqualTo(RetryPolicy.DEFAULT.maxDelay());
        assertThat(properties.getQueueCapacity()).isEqualTo(TaskEngineSettings.DEFAULTS.queueCapacity());
        assertThat(properties.getPriorityAging()).isEqualTo(TaskEngineSettings.DEFAULTS.priorityAging());
        assertThat(properties.getRetentionMode()).isEqualTo(TaskEngineSettings.DEFAULTS.retentionMode());
        assertThat(properties.getArchivePath())
                .isEqualTo(io.gobstopper.tasks.store.DuckDbTaskStore.DEFAULT_ARCHIVE_PATH);
        assertThat(properties.getCategories()).isEmpty();
        assertThat(properties.getSchedules()).isEmpty();
        assertThat(properties.getWeb().isEnabled()).isTrue();
        assertThat(properties.getWeb().getBasePath()).isEqualTo("/api/tasks");
        assertThat(properties.getWeb().getMaxBodySize()).isEqualTo(DataSize.ofMegabytes(1));
        assertThat(properties.getWeb().getEvents().isEnabled()).isTrue();
        assertThat(properties.getWeb().getEvents().getBufferSize()).isEqualTo(1000);
        assertThat(properties.getDashboard().isEnabled()).isTrue();
        assertThat(properties.getDashboard().getPath()).isEqualTo("/gobstopper");
        assertThat(properties.getDashboard().isAllowRemote()).isFalse();
        assertThat(properties.getDashboard().isReadOnly()).isFalse();
        assertThat(properties.getDashboard().getRole()).isEqualTo("TASKS_ADMIN");
        assertThat(properties.getStore()).isEqualTo(GobstopperTasksProperties.Store.DUCKDB);
        assertThat(properties.getNodeId()).isEmpty();
        assertThat(properties.getLeaseTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(properties.getPollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(properties.getPostgres().getSchema()).isEqualTo("gobstopper");
        assertThat(properties.getDatasource().getUrl()).isNull();
        assertThat(properties.getDatasource().getUsername()).isNull();
        assertThat(properties.getDatasource().getPassword()).isNull();
    }

    @Test
    void sharedStorePropertiesBind() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("gobstopper.tasks.store", "postgres");
        values.put("gobstopper.tasks.node-id", "web-1");
        values.put("gobstopper.tasks.lease-timeout", "10s");
        values.put("gobstopper.tasks.poll-interval", "250ms");
        values.put("gobstopper.tasks.postgres.schema", "jobs");
        values.put("gobstopper.tasks.datasource.url", "jdbc:postgresql://db/app");
        values.put("gobstopper.tasks.datasource.username", "tasks");
        values.put("gobstopper.tasks.datasource.password", "secret");
        GobstopperTasksProperties properties = bind(values);

        assertThat(properties.getStore()).isEqualTo(GobstopperTasksProperties.Store.POSTGRES);
        assertThat(properties.getNodeId()).isEqualTo("web-1");
        assertThat(properties.getLeaseTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(properties.getPollInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(properties.getPostgres().getSchema()).isEqualTo("jobs");
        assertThat(properties.getDatasource().getUrl()).isEqualTo("jdbc:postgresql://db/app");
        assertThat(properties.getDatasource().getUsername()).isEqualTo("tasks");
        assertThat(properties.getDatasource().getPassword()).isEqualTo("secret");
    }

    @Test
    void retentionModeArchiveReachesTheEngineAndIsRefusedWithThePostgresStore() {
        GobstopperTasksProperties properties = new GobstopperTasksProperties();
        properties.setRetentionMode(TaskEngineSettings.RetentionMode.ARCHIVE);
        assertThat(EngineSettingsFactory.create(properties).retentionMode())
                .isEqualTo(TaskEngineSettings.RetentionMode.ARCHIVE);

        properties.setStore(GobstopperTasksProperties.Store.POSTGRES);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EngineSettingsFactory.create(properties))
                .hasMessageContaining("gobstopper.tasks.retention-mode")
                .hasMessageContaining("DuckDB-only");
    }

    @Test
    void defaultPropertiesMakeExactlyTheEngineDefaultSettings() {
        assertThat(EngineSettingsFactory.create(new GobstopperTasksProperties())).isEqualTo(TaskEngineSettings.DEFAULTS);
    }

    @Test
    void boundPropertiesReachTheEngineSettings() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("gobstopper.tasks.workers", "5");
        values.put("gobstopper.tasks.retry.initial-delay", "1s");
        values.put("gobstopper.tasks.retry.multiplier", "3");
        values.put("gobstopper.tasks.retry.max-delay", "10s");
        values.put("gobstopper.tasks.shutdown-timeout", "7s");
        values.put("gobstopper.tasks.retention", "0");
        values.put("gobstopper.tasks.categories.reports.workers", "1");
        values.put("gobstopper.tasks.categories.reports.retry.max-delay", "20s");
        TaskEngineSettings settings = EngineSettingsFactory.create(bind(values));

        assertThat(settings.workers()).isEqualTo(5);
        assertThat(settings.retry()).isEqualTo(new RetryPolicy(Duration.ofSeconds(1), 3.0, Duration.ofSeconds(10)));
        assertThat(settings.shutdownTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(settings.retention()).isZero();
        assertThat(settings.workersFor("reports")).isEqualTo(1);
        assertThat(settings.workersFor("other")).isEqualTo(5);
        assertThat(settings.retryFor("reports"))
                .as("unset category values follow the global backoff")
                .isEqualTo(new RetryPolicy(Duration.ofSeconds(1), 3.0, Duration.ofSeconds(20)));
        assertThat(settings.retryFor("other")).isEqualTo(settings.retry());
    }

    @Test
    void boundFlowControlAndSchedulePropertiesReachTheEngineSettings() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("gobstopper.tasks.queue-capacity", "500");
        values.put("gobstopper.tasks.priority-aging", "0");
        values.put("gobstopper.tasks.categories.emails.queue-capacity", "20");
        values.put("gobstopper.tasks.categories.emails.rate", "100/1s");
        values.put("gobstopper.tasks.schedules.nightly_report.cron", "0 0 2 * * *");
        values.put("gobstopper.tasks.schedules.nightly_report.zone", "Europe/Paris");
        values.put("gobstopper.tasks.schedules.cleanUp.cron", "-");
        values.put("gobstopper.tasks.schedules[billing.sync].cron", "0 */5 * * * *");
        TaskEngineSettings settings = EngineSettingsFactory.create(bind(values));

        assertThat(settings.queueCapacity()).isEqualTo(500);
        assertThat(settings.priorityAging()).isZero();
        assertThat(settings.capacityFor("emails")).isEqualTo(20);
        assertThat(settings.capacityFor("other")).isEqualTo(500);
        assertThat(settings.rateFor("emails")).isEqualTo(new RateLimit(100, Duration.ofSeconds(1)));
        assertThat(settings.rateFor("other")).isNull();
        assertThat(settings.workersFor("emails")).as("a category with only a rate keeps the global workers")
                .isEqualTo(settings.workers());
        assertThat(settings.schedules()).containsOnly(
                entry("nightly_report", new ScheduleOverride("0 0 2 * * *", "Europe/Paris")),
                entry("cleanUp", new ScheduleOverride("-", null)),
                entry("billing.sync", new ScheduleOverride("0 */5 * * * *", null)));
    }

    @Test
    void everyPropertyHasConfigurationMetadataWithADescription() throws IOException {
        JsonNode metadata = starterMetadata();
        List<String> undocumented = new ArrayList<>();
        Map<String, JsonNode> properties = new LinkedHashMap<>();
        for (JsonNode property : metadata.path("properties")) {
            String name = property.path("name").asString();
            if (name.startsWith("gobstopper.tasks.")) {
                properties.put(name, property);
                if (property.path("description").asString("").isBlank()) {
                    undocumented.add(name);
                }
            }
        }
        assertThat(undocumented).as("gobstopper.tasks properties without a description").isEmpty();
        assertThat(properties).containsKeys(
                "gobstopper.tasks.enabled",
                "gobstopper.tasks.database-path",
                "gobstopper.tasks.workers",
                "gobstopper.tasks.retry.initial-delay",
                "gobstopper.tasks.retry.multiplier",
                "gobstopper.tasks.retry.max-delay",
                "gobstopper.tasks.categories",
                "gobstopper.tasks.queue-capacity",
                "gobstopper.tasks.priority-aging",
                "gobstopper.tasks.schedules",
                "gobstopper.tasks.shutdown-timeout",
                "gobstopper.tasks.retention",
                "gobstopper.tasks.web.enabled",
                "gobstopper.tasks.web.base-path",
                "gobstopper.tasks.web.max-body-size",
                "gobstopper.tasks.web.events.enabled",
                "gobstopper.tasks.web.events.buffer-size",
                "gobstopper.tasks.dashboard.enabled",
                "gobstopper.tasks.dashboard.path",
                "gobstopper.tasks.dashboard.allow-remote",
                "gobstopper.tasks.dashboard.read-only",
                "gobstopper.tasks.dashboard.role",
                "gobstopper.tasks.store",
                "gobstopper.tasks.node-id",
                "gobstopper.tasks.lease-timeout",
                "gobstopper.tasks.poll-interval",
                "gobstopper.tasks.postgres.schema",
                "gobstopper.tasks.datasource.url",
                "gobstopper.tasks.datasource.username",
                "gobstopper.tasks.datasource.password");
    }

    @Test
    void configurationMetadataListsTheContractDefaults() throws IOException {
        Map<String, JsonNode> defaults = new LinkedHashMap<>();
        for (JsonNode property : starterMetadata().path("properties")) {
            defaults.put(property.path("name").asString(), property.path("defaultValue"));
        }
        assertThat(defaults.get("gobstopper.tasks.enabled").asBoolean(true)).isFalse();
        assertThat(defaults.get("gobstopper.tasks.database-path").asString()).isEqualTo("gobstopper_tasks.duckdb");
        assertThat(defaults.get("gobstopper.tasks.workers").asInt()).isEqualTo(2);
        assertThat(duration(defaults, "gobstopper.tasks.retry.initial-delay")).isEqualTo(Duration.ofSeconds(2));
        assertThat(defaults.get("gobstopper.tasks.retry.multiplier").asDouble()).isEqualTo(2.0);
        assertThat(duration(defaults, "gobstopper.tasks.retry.max-delay")).isEqualTo(Duration.ofSeconds(60));
        assertThat(duration(defaults, "gobstopper.tasks.shutdown-timeout")).isEqualTo(Duration.ofSeconds(30));
        assertThat(duration(defaults, "gobstopper.tasks.retention")).isEqualTo(Duration.ofDays(30));
        assertThat(defaults.get("gobstopper.tasks.queue-capacity").asInt(-1))
                .isEqualTo(TaskEngineSettings.DEFAULT_QUEUE_CAPACITY);
        assertThat(duration(defaults, "gobstopper.tasks.priority-aging"))
                .isEqualTo(TaskEngineSettings.DEFAULT_PRIORITY_AGING);
        assertThat(defaults.get("gobstopper.tasks.web.enabled").asBoolean(false)).isTrue();
        assertThat(defaults.get("gobstopper.tasks.web.base-path").asString()).isEqualTo("/api/tasks");
        assertThat(DataSize.parse(defaults.get("gobstopper.tasks.web.max-body-size").asString()))
                .isEqualTo(new GobstopperTasksProperties().getWeb().getMaxBodySize());
        assertThat(defaults.get("gobstopper.tasks.web.events.enabled").asBoolean(false)).isTrue();
        assertThat(defaults.get("gobstopper.tasks.web.events.buffer-size").asInt()).isEqualTo(1000);
        assertThat(defaults.get("gobstopper.tasks.dashboard.enabled").asBoolean(false)).isTrue();
        assertThat(defaults.get("gobstopper.tasks.dashboard.path").asString()).isEqualTo("/gobstopper");
        assertThat(defaults.get("gobstopper.tasks.dashboard.allow-remote").asBoolean(true)).isFalse();
        assertThat(defaults.get("gobstopper.tasks.dashboard.read-only").asBoolean(true)).isFalse();
        assertThat(defaults.get("gobstopper.tasks.dashboard.role").asString()).isEqualTo("TASKS_ADMIN");
        assertThat(defaults.get("gobstopper.tasks.store").asString()).isEqualTo("duckdb");
        assertThat(defaults.get("gobstopper.tasks.node-id").asString("unset")).isEmpty();
        assertThat(duration(defaults, "gobstopper.tasks.lease-timeout")).isEqualTo(Duration.ofSeconds(30));
        assertThat(duration(defaults, "gobstopper.tasks.poll-interval")).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.get("gobstopper.tasks.postgres.schema").asString()).isEqualTo("gobstopper");
    }

    private static GobstopperTasksProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bind("gobstopper.tasks", GobstopperTasksProperties.class)
                .get();
    }

    private static Duration duration(Map<String, JsonNode> defaults, String name) {
        JsonNode value = defaults.get(name);
        assertThat(value).as("default of " + name).isNotNull();
        assertThat(value.isString()).as("default of " + name + " is listed").isTrue();
        return DurationStyle.detectAndParse(value.asString());
    }

    /** The starter's own metadata file, found on the class path like an IDE finds it. */
    private static JsonNode starterMetadata() throws IOException {
        List<URL> files = Collections.list(
                GobstopperTasksPropertiesTests.class.getClassLoader().getResources("META-INF/spring-configuration-metadata.json"));
        JsonMapper mapper = JsonMapper.builder().build();
        for (URL file : files) {
            try (InputStream in = file.openStream()) {
                JsonNode metadata = mapper.readTree(in);
                for (JsonNode group : metadata.path("groups")) {
                    if (group.path("name").asString().equals("gobstopper.tasks")) {
                        return metadata;
                    }
                }
            }
        }
        throw new AssertionError("No META-INF/spring-configuration-metadata.json declares the gobstopper.tasks group; "
                + "looked in " + files);
    }
}
