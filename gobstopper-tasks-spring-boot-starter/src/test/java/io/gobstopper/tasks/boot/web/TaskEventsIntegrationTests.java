package io.gobstopper.tasks.boot.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gobstopper.tasks.boot.support.ServerTestSupport;
import io.gobstopper.tasks.boot.support.SseClient;
import io.gobstopper.tasks.boot.support.SseClient.Event;
import io.gobstopper.tasks.boot.testapp.TasksTestApplication;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/** {@code GET /api/tasks/events}: one Server-Sent Event per life-cycle change, stats every 2 s, and filters. */
@SpringBootTest(
        classes = TasksTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"gobstopper.tasks.enabled=true", "gobstopper.tasks.shutdown-timeout=5s"})
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class TaskEventsIntegrationTests extends ServerTestSupport {

    @Autowired
    TaskEventBroadcaster broadcaster;

    @Test
    void aClientThatLeavesIsForgottenQuietly(CapturedOutput output) {
        int before = broadcaster.clientCount();
        SseClient leaving = SseClient.connect(port, API + "/events");
        leaving.await(event -> event.name().equals("stats"), WAIT);
        leaving.close();

        // the next events find the connection gone
        await().atMost(WAIT).until(() -> {
            submitId("{\"name\": \"add\", \"args\": [1, 1]}");
            return broadcaster.clientCount() == before;
        });
        assertThat(output).doesNotContain("Unexpected failure").doesNotContain(" ERROR ");
    }

    @Test
    void aTaskSendsSubmittedStartedProgressAndSucceededInOrderWithItsJson() {
        try (SseClient events = SseClient.connect(port, API + "/events")) {
            assertThat(events.status()).isEqualTo(200);
            assertThat(events.contentType()).startsWith("text/event-stream");
            events.await(event -> event.name().equals("stats"), WAIT);

            String id = submitId("{\"name\": \"echo\", \"args\": [\"streamed\"]}");

            events.await(
                    event -> event.name().equals("succeeded") && event.data().contains(id), WAIT);
            List<Event> mine = events.taskEvents().stream()
                    .filter(event -> event.data().contains(id))
                    .toList();
            assertThat(mine).extracting(Event::name).containsExactly("submitted", "started", "progress", "succeeded");
            assertThat(mine)
                    .extracting(event -> Long.parseLong(event.id()))
                    .isSorted()
                    .doesNotHaveDuplicates();
            assertThat(mine).allSatisfy(event -> assertThat(event.data()).doesNotContain("\n"));
            JsonNode progress = mine.get(2).json();
            assertThat(progress.path("id").asString()).isEqualTo(id);
            assertThat(progress.path("status").asString()).isEqualTo("STARTED");
            assertThat(progress.path("progress").asInt()).isEqualTo(50);
            assertThat(progress.path("progressMessage").asString()).isEqualTo("half way");
            JsonNode done = mine.get(3).json();
            assertThat(done.path("status").asString()).isEqualTo("SUCCESS");
            assertThat(done.path("result").path("echo").asString()).isEqualTo("streamed");
            assertThat(done.properties().stream()
                            .map(java.util.Map.Entry::getKey)
                            .toList())
                    .as("the fields of GET /api/tasks/{id}, in its order")
                    .containsExactlyElementsOf(task(id).properties().stream()
                            .map(java.util.Map.Entry::getKey)
                            .toList());
        }
    }

    @Test
    void statsArriveAtOnceAndThenEveryTwoSecondsAsGetStatsRendersThem() {
        try (SseClient events = SseClient.connect(port, API + "/events")) {
            events.await(event -> event.name().equals("stats"), Duration.ofSeconds(1));
            events.await(
                    event -> event.name().equals("stats")
                            && events.events().stream()
                                            .filter(e -> e.name().equals("stats"))
                                            .count()
                                    >= 2,
                    Duration.ofSeconds(3));
            JsonNode stats = events.events().get(0).json();
            JsonNode expected = http.get(API + "/stats").json();
            assertThat(stats.properties().stream()
                            .map(java.util.Map.Entry::getKey)
                            .toList())
                    .containsExactlyElementsOf(expected.properties().stream()
                            .map(java.util.Map.Entry::getKey)
                            .toList());
            assertThat(stats.path("registeredTasks")).isEqualTo(expected.path("registeredTasks"));
        }
    }

    @Test
    void aCategoryFilterSendsOnlyThatCategorysTasks() {
        try (SseClient math = SseClient.connect(port, API + "/events?category=math");
                SseClient both = SseClient.connect(port, API + "/events?category=other&category=math,default")) {
            String echo = submitId("{\"name\": \"echo\", \"args\": [\"not math\"]}");
            String add = submitId("{\"name\": \"add\", \"args\": [1, 2]}");

            math.await(event -> event.name().equals("succeeded") && event.data().contains(add), WAIT);
            both.await(event -> event.name().equals("succeeded") && event.data().contains(add), WAIT);
            both.await(event -> event.name().equals("succeeded") && event.data().contains(echo), WAIT);
            awaitStatus(echo, "SUCCESS");
            assertThat(math.taskEvents())
                    .isNotEmpty()
                    .allSatisfy(event ->
                            assertThat(event.json().path("category").asString()).isEqualTo("math"));
        }
    }

    @Test
    void aTaskIdFilterSendsOnlyThoseTasks() {
        String first = submitId("{\"name\": \"add\", \"args\": [2, 2], \"delay\": \"PT2S\"}");
        String second = submitId("{\"name\": \"add\", \"args\": [3, 3], \"delay\": \"PT2S\"}");
        try (SseClient events = SseClient.connect(port, API + "/events?taskId=" + first)) {
            submitId("{\"name\": \"add\", \"args\": [4, 4]}");
            events.await(event -> event.name().equals("succeeded"), WAIT);
            awaitStatus(second, "SUCCESS");
            assertThat(events.taskEvents())
                    .extracting(event -> event.json().path("id").asString())
                    .containsOnly(first);
        }
    }

    @Test
    void badFiltersAreRefusedWithAProblem() {
        assertProblem(http.get(API + "/events?taskId=not-a-uuid"), 400, "taskId", "not-a-uuid", "UUID");
        assertProblem(http.get(API + "/events?category=no%20spaces"), 400, "category", "no spaces");
        assertProblem(http.get(API + "/events?category=math&taskId=1,2"), 400, "taskId");
    }
}
