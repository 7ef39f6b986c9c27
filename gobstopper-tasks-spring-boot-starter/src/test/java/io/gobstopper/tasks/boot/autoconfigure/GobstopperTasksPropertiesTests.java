package io.gobstopper.tasks.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@ExtendWith(OutputCaptureExtension.class)
class GobstopperTasksPropertiesTests {

    private static final String PREFIX = "gobstopper.tasks.";

    /**
     * A renamed property: its old and new name (without the prefix), two values other than its default, and the
     * resolved value every reader of the starter uses.
     */
    private record Rename(
            String oldName,
            String newName,
            String value,
            String otherValue,
            Function<GobstopperTasksProperties, Object> inEffect) {

        @Override
        public String toString() {
            return oldName + " -> " + newName;
        }
    }

    static Stream<Rename> renames() {
        return Stream.of(
                new Rename(
                        "database-path", "duckdb.path", "a.duckdb", "b.duckdb", GobstopperTasksProperties::duckdbPath),
                new Rename(
                        "archive-path",
                        "duckdb.archive-path",
                        "archive-a",
                        "archive-b",
                        GobstopperTasksProperties::duckdbArchivePath),
                new Rename(
                        "node-id", "postgres.node-id", "node-a", "node-b", GobstopperTasksProperties::postgresNodeId),
                new Rename(
                        "lease-timeout",
                        "postgres.lease-timeout",
                        "10s",
                        "20s",
                        GobstopperTasksProperties::postgresLeaseTimeout),
                new Rename(
                        "poll-interval",
                        "postgres.poll-interval",
                        "250ms",
                        "500ms",
                        GobstopperTasksProperties::postgresPollInterval),
                new Rename(
                        "datasource.url",
                        "postgres.datasource.url",
                        "jdbc:postgresql://a/app",
                        "jdbc:postgresql://b/app",
                        properties -> properties.postgresDatasource().getUrl()),
                new Rename(
                        "datasource.username",
                        "postgres.datasource.username",
                        "user-a",
                        "user-b",
                        properties -> properties.postgresDatasource().getUsername()),
                new Rename(
                        "datasource.password",
                        "postgres.datasource.password",
                        "secret-a",
                        "secret-b",
                        properties -> properties.postgresDatasource().getPassword()),
                new Rename(
                        "dashboard.read-only",
                        "web.read-only",
                        "true",
                        "false",
                        GobstopperTasksProperties::webReadOnly),
                new Rename(
                        "dashboard.role",
                        "web.write-role",
                        "OPS",
                        "AUDITORS",
                        GobstopperTasksProperties::webWriteRole));
    }

    /** Old name to new name, with the prefix. */
    private static final Map<String, String> RENAMED = renames()
            .collect(Collectors.toMap(
                    rename -> PREFIX + rename.oldName(),
                    rename -> PREFIX + rename.newName(),
                    (a, b) -> a,
                    LinkedHashMap::new));

    @Test
    void defaultsEqualTheEngineDefaults() {
        GobstopperTasksProperties properties = new GobstopperTasksProperties();
        assertThat(properties.isEnabled()).isFalse();
        assertThat(properties.getDuckdb().getPath()).isEqualTo("gobstopper_tasks.duckdb");
        assertThat(properties.getWorkers()).isEqualTo(TaskEngineSettings.DEFAULTS.workers());
        assertThat(properties.getShutdownTimeout()).isEqualTo(TaskEngineSettings.DEFAULTS.shutdownTimeout());
        assertThat(properties.getRetention()).isEqualTo(TaskEngineSettings.DEFAULTS.retention());
        assertThat(properties.getRetry().getInitialDelay()).isEqualTo(RetryPolicy.DEFAULT.initialDelay());
        assertThat(properties.getRetry().getMultiplier()).isEqualTo(RetryPolicy.DEFAULT.multiplier());
        assertThat(properties.getRetry().getMaxDelay()).isEqualTo(RetryPolicy.DEFAULT.maxDelay());
        assertThat(properties.getQueueCapacity()).isEqualTo(TaskEngineSettings.DEFAULTS.queueCapacity());
        assertThat(properties.getPriorityAging()).isEqualTo(TaskEngineSettings.DEFAULTS.priorityAging());
        assertThat(properties.getRetentionMode()).isEqualTo(TaskEngineSettings.DEFAULTS.retentionMode());
        assertThat(properties.getDuckdb().getArchivePath())
                .isEqualTo(io.gobstopper.tasks.store.duckdb.DuckDbTaskStore.DEFAULT_ARCHIVE_PATH);
        assertThat(properties.getDuckdb().getQueueWindow())
                .isEqualTo(io.gobstopper.tasks.store.duckdb.DuckDbTaskStore.DEFAULT_QUEUE_WINDOW);
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
        assertThat(properties.getWeb().isReadOnly()).isFalse();
        assertThat(properties.getWeb().getWriteRole()).isEqualTo("TASKS_ADMIN");
        assertThat(properties.getStore()).isEqualTo(GobstopperTasksProperties.Store.DUCKDB);
        assertThat(properties.getPostgres().getNodeId()).isEmpty();
        assertThat(properties.getPostgres().getLeaseTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(properties.getPostgres().getPollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(properties.getPostgres().getSchema()).isEqualTo("gobstopper");
        assertThat(properties.getPostgres().getDatasource().getUrl()).isNull();
        assertThat(properties.getPostgres().getDatasource().getUsername()).isNull();
        assertThat(properties.getPostgres().getDatasource().getPassword()).isNull();
    }

    @Test
    @SuppressWarnings("deprecation")
    void theOldNamesAreUnsetByDefaultSoThatTheNewNamesDefaultsAreInEffect() {
        GobstopperTasksProperties properties = new GobstopperTasksProperties();
        assertThat(properties.getDatabasePath()).isNull();
        assertThat(properties.getArchivePath()).isNull();
        assertThat(properties.getNodeId()).isNull();
        assertThat(properties.getLeaseTimeout()).isNull();
        assertThat(properties.getPollInterval()).isNull();
        assertThat(properties.getDatasource().getUrl()).isNull();
        assertThat(properties.getDatasource().getUsername()).isNull();
        assertThat(properties.getDatasource().getPassword()).isNull();
        assertThat(properties.getDashboard().getReadOnly()).isNull();
        assertThat(properties.getDashboard().getRole()).isNull();

        assertThat(properties.duckdbPath()).isEqualTo(properties.getDuckdb().getPath());
        assertThat(properties.duckdbArchivePath())
                .isEqualTo(properties.getDuckdb().getArchivePath());
        assertThat(properties.postgresNodeId())
                .isEqualTo(properties.getPostgres().getNodeId());
        assertThat(properties.postgresLeaseTimeout())
                .isEqualTo(properties.getPostgres().getLeaseTimeout());
        assertThat(properties.postgresPollInterval())
                .isEqualTo(properties.getPostgres().getPollInterval());
        assertThat(properties.postgresDatasource().getUrl()).isNull();
        assertThat(properties.postgresDatasource().getUsername()).isNull();
        assertThat(properties.postgresDatasource().getPassword()).isNull();
        assertThat(properties.webReadOnly()).isFalse();
        assertThat(properties.webWriteRole()).isEqualTo("TASKS_ADMIN");
    }

    @Test
    void sharedStorePropertiesBind() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("gobstopper.tasks.store", "postgres");
        values.put("gobstopper.tasks.postgres.node-id", "web-1");
        values.put("gobstopper.tasks.postgres.lease-timeout", "10s");
        values.put("gobstopper.tasks.postgres.poll-interval", "250ms");
        values.put("gobstopper.tasks.postgres.schema", "jobs");
        values.put("gobstopper.tasks.postgres.datasource.url", "jdbc:postgresql://db/app");
        values.put("gobstopper.tasks.postgres.datasource.username", "tasks");
        values.put("gobstopper.tasks.postgres.datasource.password", "secret");
        GobstopperTasksProperties properties = bind(values);

        assertThat(properties.getStore()).isEqualTo(GobstopperTasksProperties.Store.POSTGRES);
        assertThat(properties.postgresNodeId()).isEqualTo("web-1");
        assertThat(properties.postgresLeaseTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(properties.postgresPollInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(properties.getPostgres().getSchema()).isEqualTo("jobs");
        assertThat(properties.postgresDatasource().getUrl()).isEqualTo("jdbc:postgresql://db/app");
        assertThat(properties.postgresDatasource().getUsername()).isEqualTo("tasks");
        assertThat(properties.postgresDatasource().getPassword()).isEqualTo("secret");
    }

    // ---- renamed properties: the old name keeps working ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("renames")
    void theOldNameAloneTakesEffectLikeTheNewName(Rename rename) {
        Object byNewName = rename.inEffect().apply(bind(Map.of(PREFIX + rename.newName(), rename.value())));
        assertThat(byNewName)
                .as("the sample value differs from the default")
                .isNotEqualTo(rename.inEffect().apply(new GobstopperTasksProperties()));

        Object byOldName = rename.inEffect().apply(bind(Map.of(PREFIX + rename.oldName(), rename.value())));
        assertThat(byOldName).isEqualTo(byNewName);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renames")
    void bothNamesSetToTheSameValueAgree(Rename rename) {
        Object byNewName = rename.inEffect().apply(bind(Map.of(PREFIX + rename.newName(), rename.value())));
        Object byBoth = rename.inEffect()
                .apply(bind(
                        Map.of(PREFIX + rename.oldName(), rename.value(), PREFIX + rename.newName(), rename.value())));
        assertThat(byBoth).isEqualTo(byNewName);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renames")
    void bothNamesSetToDifferentValuesFailNamingBothAndSayingToKeepTheNewOne(Rename rename) {
        GobstopperTasksProperties properties =
                bind(Map.of(PREFIX + rename.oldName(), rename.value(), PREFIX + rename.newName(), rename.otherValue()));
        assertThatThrownBy(() -> rename.inEffect().apply(properties))
                .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, failure -> {
                    assertThat(failure.getName()).isEqualTo(PREFIX + rename.oldName());
                    assertThat(failure.getMessage())
                            .contains(PREFIX + rename.oldName())
                            .contains(PREFIX + rename.newName())
                            .contains("keep only " + PREFIX + rename.newName());
                });
    }

    @Test
    void theNewNameSetToItsDefaultStillCountsAsSet() {
        GobstopperTasksProperties properties = bind(Map.of(
                "gobstopper.tasks.duckdb.path",
                "gobstopper_tasks.duckdb",
                "gobstopper.tasks.database-path",
                "other.duckdb"));
        assertThatThrownBy(properties::duckdbPath)
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("gobstopper.tasks.database-path")
                .hasMessageContaining("gobstopper.tasks.duckdb.path");
    }

    @Test
    void aConflictingPasswordIsNotRepeatedInTheFailure() {
        GobstopperTasksProperties properties = bind(Map.of(
                "gobstopper.tasks.datasource.password",
                "old-secret",
                "gobstopper.tasks.postgres.datasource.password",
                "new-secret"));
        assertThatThrownBy(properties::postgresDatasource)
                .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, failure -> {
                    assertThat(failure.getValue()).isEqualTo("******");
                    assertThat(failure.getMessage())
                            .doesNotContain("old-secret")
                            .doesNotContain("new-secret");
                });
    }

    @Test
    void anOldNameInUseIsLoggedOnceAsAWarningNamingTheNewName(CapturedOutput output) {
        GobstopperTasksProperties properties = bind(Map.of("gobstopper.tasks.lease-timeout", "10s"));
        assertThat(properties.postgresLeaseTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(properties.postgresLeaseTimeout()).isEqualTo(Duration.ofSeconds(10));

        assertThat(output.getAll().lines().filter(line -> line.contains("gobstopper.tasks.lease-timeout")))
                .singleElement(InstanceOfAssertFactories.STRING)
                .contains("WARN")
                .contains("gobstopper.tasks.postgres.lease-timeout");
    }

    @Test
    void theNewNamesAloneLogNothing(CapturedOutput output) {
        GobstopperTasksProperties properties = bind(Map.of("gobstopper.tasks.postgres.lease-timeout", "10s"));
        renames().forEach(rename -> rename.inEffect().apply(properties));
        assertThat(output.getAll()).doesNotContain("deprecated");
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
        assertThat(EngineSettingsFactory.create(new GobstopperTasksProperties()))
                .isEqualTo(TaskEngineSettings.DEFAULTS);
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
        assertThat(settings.workersFor("emails"))
                .as("a category with only a rate keeps the global workers")
                .isEqualTo(settings.workers());
        assertThat(settings.schedules())
                .containsOnly(
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
        assertThat(undocumented)
                .as("gobstopper.tasks properties without a description")
                .isEmpty();
        assertThat(properties)
                .containsKeys(
                        "gobstopper.tasks.enabled",
                        "gobstopper.tasks.duckdb.path",
                        "gobstopper.tasks.duckdb.archive-path",
                        "gobstopper.tasks.duckdb.queue-window",
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
                        "gobstopper.tasks.web.read-only",
                        "gobstopper.tasks.web.write-role",
                        "gobstopper.tasks.store",
                        "gobstopper.tasks.postgres.node-id",
                        "gobstopper.tasks.postgres.lease-timeout",
                        "gobstopper.tasks.postgres.poll-interval",
                        "gobstopper.tasks.postgres.schema",
                        "gobstopper.tasks.postgres.datasource.url",
                        "gobstopper.tasks.postgres.datasource.username",
                        "gobstopper.tasks.postgres.datasource.password");
        assertThat(properties)
                .as("the old names of renamed properties")
                .containsKeys(RENAMED.keySet().toArray(String[]::new));
    }

    @Test
    void everyRenamedPropertyIsDeprecatedInTheMetadataNamingItsReplacement() throws IOException {
        Map<String, JsonNode> properties = gobstopperProperties();
        for (Map.Entry<String, String> renamed : RENAMED.entrySet()) {
            JsonNode old = properties.get(renamed.getKey());
            assertThat(old).as(renamed.getKey()).isNotNull();
            assertThat(old.path("deprecated").asBoolean(false))
                    .as(renamed.getKey() + " is deprecated")
                    .isTrue();
            JsonNode deprecation = old.path("deprecation");
            assertThat(deprecation.path("replacement").asString())
                    .as(renamed.getKey() + "'s replacement")
                    .isEqualTo(renamed.getValue());
            assertThat(deprecation.path("reason").asString(""))
                    .as(renamed.getKey() + "'s reason")
                    .isNotBlank();
            assertThat(deprecation.path("level").asString("warning"))
                    .as(renamed.getKey() + " still works")
                    .isEqualTo("warning");
            assertThat(old.has("defaultValue"))
                    .as(renamed.getKey() + " has no default of its own")
                    .isFalse();

            JsonNode replacement = properties.get(renamed.getValue());
            assertThat(replacement).as(renamed.getValue()).isNotNull();
            assertThat(replacement.path("deprecated").asBoolean(false))
                    .as(renamed.getValue())
                    .isFalse();
            assertThat(replacement.path("type").asString())
                    .as(renamed.getValue() + " keeps the old type")
                    .isEqualTo(old.path("type").asString());
        }
    }

    @Test
    void noPropertyIsDeprecatedButTheRenamedOnes() throws IOException {
        List<String> deprecated = gobstopperProperties().values().stream()
                .filter(property -> property.path("deprecated").asBoolean(false))
                .map(property -> property.path("name").asString())
                .toList();
        assertThat(deprecated).containsExactlyInAnyOrderElementsOf(RENAMED.keySet());
    }

    @Test
    void configurationMetadataListsTheContractDefaults() throws IOException {
        Map<String, JsonNode> defaults = new LinkedHashMap<>();
        for (JsonNode property : starterMetadata().path("properties")) {
            defaults.put(property.path("name").asString(), property.path("defaultValue"));
        }
        assertThat(defaults.get("gobstopper.tasks.enabled").asBoolean(true)).isFalse();
        assertThat(defaults.get("gobstopper.tasks.duckdb.path").asString()).isEqualTo("gobstopper_tasks.duckdb");
        assertThat(defaults.get("gobstopper.tasks.duckdb.archive-path").asString())
                .isEqualTo(io.gobstopper.tasks.store.duckdb.DuckDbTaskStore.DEFAULT_ARCHIVE_PATH);
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
        assertThat(defaults.get("gobstopper.tasks.web.enabled").asBoolean(false))
                .isTrue();
        assertThat(defaults.get("gobstopper.tasks.web.base-path").asString()).isEqualTo("/api/tasks");
        assertThat(DataSize.parse(
                        defaults.get("gobstopper.tasks.web.max-body-size").asString()))
                .isEqualTo(new GobstopperTasksProperties().getWeb().getMaxBodySize());
        assertThat(defaults.get("gobstopper.tasks.web.events.enabled").asBoolean(false))
                .isTrue();
        assertThat(defaults.get("gobstopper.tasks.web.events.buffer-size").asInt())
                .isEqualTo(1000);
        assertThat(defaults.get("gobstopper.tasks.dashboard.enabled").asBoolean(false))
                .isTrue();
        assertThat(defaults.get("gobstopper.tasks.dashboard.path").asString()).isEqualTo("/gobstopper");
        assertThat(defaults.get("gobstopper.tasks.dashboard.allow-remote").asBoolean(true))
                .isFalse();
        assertThat(defaults.get("gobstopper.tasks.web.read-only").asBoolean(true))
                .isFalse();
        assertThat(defaults.get("gobstopper.tasks.web.write-role").asString()).isEqualTo("TASKS_ADMIN");
        assertThat(defaults.get("gobstopper.tasks.store").asString()).isEqualTo("duckdb");
        assertThat(defaults.get("gobstopper.tasks.postgres.node-id").asString("unset"))
                .isEmpty();
        assertThat(duration(defaults, "gobstopper.tasks.postgres.lease-timeout"))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(duration(defaults, "gobstopper.tasks.postgres.poll-interval"))
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.get("gobstopper.tasks.postgres.schema").asString()).isEqualTo("gobstopper");
    }

    private static GobstopperTasksProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bind("gobstopper.tasks", GobstopperTasksProperties.class)
                .get();
    }

    /** The starter's {@code gobstopper.tasks.*} properties in its metadata, by name. */
    private static Map<String, JsonNode> gobstopperProperties() throws IOException {
        Map<String, JsonNode> properties = new LinkedHashMap<>();
        for (JsonNode property : starterMetadata().path("properties")) {
            String name = property.path("name").asString();
            if (name.startsWith(PREFIX)) {
                properties.put(name, property);
            }
        }
        return properties;
    }

    private static Duration duration(Map<String, JsonNode> defaults, String name) {
        JsonNode value = defaults.get(name);
        assertThat(value).as("default of " + name).isNotNull();
        assertThat(value.isString()).as("default of " + name + " is listed").isTrue();
        return DurationStyle.detectAndParse(value.asString());
    }

    /** The starter's own metadata file, found on the class path like an IDE finds it. */
    private static JsonNode starterMetadata() throws IOException {
        List<URL> files = Collections.list(GobstopperTasksPropertiesTests.class
                .getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"));
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
