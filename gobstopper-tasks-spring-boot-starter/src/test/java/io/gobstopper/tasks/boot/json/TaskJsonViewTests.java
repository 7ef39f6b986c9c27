package io.gobstopper.tasks.boot.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.NodeInfo;
import io.gobstopper.tasks.ScheduleInfo;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskPriority;
import io.gobstopper.tasks.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The JSON shape of the scheduling fields of tasks and of schedules. */
class TaskJsonViewTests {

    private static final Instant NOW = Instant.parse("2030-01-01T08:00:00Z");

    private final TaskJsonView view = new TaskJsonView(() -> NOW);

    private static TaskInfo task(List<UUID> dependsOn, String uniqueKey, Duration timeout, boolean cancelRequested) {
        return new TaskInfo(
                UUID.randomUUID(),
                "report",
                "reports",
                TaskPriority.LOW,
                TaskStatus.PENDING,
                NOW,
                null,
                null,
                NOW.plusSeconds(5),
                null,
                null,
                0,
                0,
                "[]",
                "{}",
                0,
                null,
                dependsOn,
                uniqueKey,
                timeout,
                cancelRequested);
    }

    @Test
    void aTaskShowsItsParentsUniqueKeyTimeoutAndCancelRequest() {
        UUID parent = UUID.randomUUID();

        ObjectNode json = view.task(task(List.of(parent), "report-2030-01", Duration.ofSeconds(30), true));

        assertThat(json.path("runAt").asString()).isEqualTo("2030-01-01T08:00:05Z");
        assertThat(json.path("dependsOn").isArray()).isTrue();
        assertThat(json.path("dependsOn").get(0).asString()).isEqualTo(parent.toString());
        assertThat(json.path("uniqueKey").asString()).isEqualTo("report-2030-01");
        assertThat(json.path("timeout").asString()).isEqualTo("PT30S");
        assertThat(json.path("cancelRequested").isBoolean()).isTrue();
        assertThat(json.path("cancelRequested").asBoolean()).isTrue();
    }

    @Test
    void aTaskWithoutSchedulingOptionsShowsEmptyAndNullValues() {
        ObjectNode json = view.task(task(List.of(), null, null, false));

        assertThat(json.path("dependsOn").isArray()).isTrue();
        assertThat(json.path("dependsOn").size()).isZero();
        assertThat(json.get("uniqueKey").isNull()).isTrue();
        assertThat(json.get("timeout").isNull()).isTrue();
        assertThat(json.path("cancelRequested").asBoolean(true)).isFalse();
    }

    @Test
    void aTaskShowsTheInstanceThatRunsOrRanIt() {
        TaskInfo plain = task(List.of(), null, null, false);
        TaskInfo shared = new TaskInfo(
                plain.id(),
                plain.name(),
                plain.category(),
                plain.priority(),
                TaskStatus.STARTED,
                NOW,
                NOW,
                null,
                null,
                null,
                null,
                0,
                0,
                "[]",
                "{}",
                0,
                null,
                List.of(),
                null,
                null,
                false,
                "node-a");

        assertThat(view.task(shared).path("nodeId").asString()).isEqualTo("node-a");
        assertThat(view.task(plain).get("nodeId").isNull()).isTrue();
    }

    @Test
    void aNodeHasItsIdStartLastSeenRunningTasksAndWhetherItIsThisOne() {
        NodeInfo node = new NodeInfo("node-b", NOW.minusSeconds(60), NOW, 3, false);

        JsonNode json = view.nodes(List.of(node)).get(0);

        assertThat(json.propertyNames()).containsExactly("nodeId", "startedAt", "lastSeen", "running", "self");
        assertThat(json.path("nodeId").asString()).isEqualTo("node-b");
        assertThat(json.path("startedAt").asString()).isEqualTo("2030-01-01T07:59:00Z");
        assertThat(json.path("lastSeen").asString()).isEqualTo("2030-01-01T08:00:00Z");
        assertThat(json.path("running").asInt()).isEqualTo(3);
        assertThat(json.path("self").asBoolean(true)).isFalse();
    }

    @Test
    void aScheduleHasNameCronZoneNextAndLastRunAndPaused() {
        ScheduleInfo running = new ScheduleInfo("tick", "*/2 * * * * *", "UTC", NOW.plusSeconds(2), NOW, false);
        ScheduleInfo paused = new ScheduleInfo("nightly", "0 0 2 * * *", "Europe/Paris", null, null, true);

        JsonNode json = view.schedules(List.of(running, paused));

        assertThat(json.size()).isEqualTo(2);
        assertThat(json.get(0).propertyNames())
                .containsExactly("name", "cron", "zone", "nextRunAt", "lastRunAt", "paused");
        assertThat(json.get(0).path("cron").asString()).isEqualTo("*/2 * * * * *");
        assertThat(json.get(0).path("nextRunAt").asString()).isEqualTo("2030-01-01T08:00:02Z");
        assertThat(json.get(0).path("lastRunAt").asString()).isEqualTo("2030-01-01T08:00:00Z");
        assertThat(json.get(0).path("paused").asBoolean(true)).isFalse();
        assertThat(json.get(1).path("zone").asString()).isEqualTo("Europe/Paris");
        assertThat(json.get(1).get("nextRunAt").isNull()).isTrue();
        assertThat(json.get(1).get("lastRunAt").isNull()).isTrue();
        assertThat(json.get(1).path("paused").asBoolean()).isTrue();
    }
}
