package io.gobstopper.tasks.boot.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gobstopper.tasks.boot.support.Http;
import io.gobstopper.tasks.boot.support.ServerTestSupport;
import io.gobstopper.tasks.boot.testapp.ScheduledTestTasks;
import io.gobstopper.tasks.boot.testapp.TasksTestApplication;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/**
 * Recurring tasks over real HTTP: the schedules list, pause, resume and trigger, and the property overrides of a
 * declared schedule. Needs the engine's support.
 */
@SpringBootTest(
        classes = {TasksTestApplication.class, ScheduledTestTasks.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "gobstopper.tasks.enabled=true",
            "gobstopper.tasks.shutdown-timeout=5s",
            "gobstopper.tasks.schedules.switchedOff.cron=-",
            "gobstopper.tasks.schedules.internal.cron=0 0 3 1 1 *",
            "gobstopper.tasks.schedules.internal.zone=Europe/Paris"
        })
@DirtiesContext
class SchedulesIntegrationTests extends ServerTestSupport {

    private static final String SCHEDULES = API + "/schedules";

    @Autowired
    ScheduledTestTasks scheduled;

    private JsonNode schedule(String name) {
        Http.Response answer = http.get(SCHEDULES);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        for (JsonNode schedule : answer.json()) {
            if (schedule.path("name").asString().equals(name)) {
                return schedule;
            }
        }
        throw new AssertionError("no schedule named " + name + " in " + answer.body());
    }

    private long tickTasks() {
        return http.get(API + "?name=tick&limit=1").json().path("total").asLong();
    }

    @Test
    void theSchedulesListTheDeclaredAndConfiguredRecurringTasksWithTheirNextRun() {
        Http.Response answer = http.get(SCHEDULES);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().isArray()).isTrue();
        List<String> names = new ArrayList<>();
        answer.json().forEach(schedule -> names.add(schedule.path("name").asString()));
        assertThat(names).contains("tick", "internal").doesNotContain("switchedOff", "echo");
        JsonNode tick = schedule("tick");
        assertThat(tick.propertyNames()).containsExactly("name", "cron", "zone", "nextRunAt", "lastRunAt", "paused");
        assertThat(tick.path("cron").asString()).isEqualTo("*/2 * * * * *");
        assertThat(tick.path("zone").asString()).isEqualTo("UTC");
        assertThat(tick.path("paused").asBoolean(true)).isFalse();
        assertThat(Instant.parse(tick.path("nextRunAt").asString()))
                .isBetween(Instant.now().minusSeconds(1), Instant.now().plusSeconds(3));
        JsonNode internal = schedule("internal");
        assertThat(internal.path("cron").asString()).as("set by a property").isEqualTo("0 0 3 1 1 *");
        assertThat(internal.path("zone").asString()).isEqualTo("Europe/Paris");
    }

    @Test
    void aRecurringTaskRunsAtItsFireTimesAndRecordsTheLastRun() {
        await().atMost(Duration.ofSeconds(10)).until(() -> scheduled.ticks() >= 2);

        assertThat(schedule("tick").path("lastRunAt").isString()).isTrue();
        assertThat(tickTasks()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aPausedScheduleFiresNoMoreUntilResumedAndCanStillBeTriggered() {
        Http.Response paused = http.post(SCHEDULES + "/tick/pause", null);

        assertThat(paused.status()).as(paused.toString()).isEqualTo(200);
        assertThat(paused.json().path("name").asString()).isEqualTo("tick");
        assertThat(paused.json().path("paused").asBoolean()).isTrue();
        assertThat(paused.json().get("nextRunAt").isNull()).isTrue();
        assertThat(schedule("tick").path("paused").asBoolean()).isTrue();
        long atPause = tickTasks();
        // a fire time reached while the pause was being stored may still start one run
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> tickTasks() <= atPause + 1);

        Http.Response triggered = http.post(SCHEDULES + "/tick/trigger", null);

        assertThat(triggered.status()).as(triggered.toString()).isEqualTo(202);
        String id = triggered.json().path("id").asString();
        assertThat(triggered.location()).isEqualTo(API + "/" + id);
        assertThat(triggered.json().path("name").asString()).isEqualTo("tick");
        awaitStatus(id, "SUCCESS");

        Http.Response resumed = http.post(SCHEDULES + "/tick/resume", null);

        assertThat(resumed.status()).as(resumed.toString()).isEqualTo(200);
        assertThat(resumed.json().path("paused").asBoolean(true)).isFalse();
        assertThat(Instant.parse(resumed.json().path("nextRunAt").asString()))
                .isAfter(Instant.now().minusSeconds(1));
        long atResume = tickTasks();
        await().atMost(Duration.ofSeconds(6)).until(() -> tickTasks() > atResume);
    }

    @Test
    void anUnknownScheduleAnswers404NamingItAndTheKnownOnes() {
        for (String call : List.of("pause", "resume", "trigger")) {
            assertProblem(http.post(SCHEDULES + "/nope/" + call, null), 404, "nope", "tick");
        }
        assertProblem(http.post(SCHEDULES + "/echo/trigger", null), 404, "echo");
    }

    @Test
    void theTasksEndpointListsTheSchedules() {
        Http.Response answer = http.get("/actuator/tasks");

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        answer.json()
                .path("schedules")
                .forEach(schedule -> names.add(schedule.path("name").asString()));
        assertThat(names).contains("tick", "internal");
    }
}
