package io.gobstopper.tasks.boot.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gobstopper.tasks.boot.support.Http;
import io.gobstopper.tasks.boot.support.ServerTestSupport;
import io.gobstopper.tasks.boot.testapp.TasksTestApplication;
import io.gobstopper.tasks.boot.testapp.TestTasks;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

/**
 * {@code gobstopper.tasks.queue-capacity} over real HTTP: past the capacity a submit answers 429 with
 * {@code Retry-After}, and nothing accepted before is lost. Needs the engine's support.
 */
@SpringBootTest(
        classes = TasksTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "gobstopper.tasks.enabled=true",
            "gobstopper.tasks.shutdown-timeout=5s",
            "gobstopper.tasks.queue-capacity=20",
            "gobstopper.tasks.categories.gated.workers=1"
        })
@DirtiesContext
class QueueCapacityIntegrationTests extends ServerTestSupport {

    private static final int CAPACITY = 20;

    @Autowired
    TestTasks tasks;

    private static String waitAt(String gate) {
        return "{\"name\": \"waitAt\", \"args\": [\"" + gate + "\"], \"category\": \"gated\"}";
    }

    @Test
    void pastTheCapacityASubmitAnswers429WithRetryAfterAndTheAcceptedTasksAllRun() {
        String gate = unique("capacity");
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < CAPACITY; i++) {
            accepted.add(submitId(waitAt(gate)));
        }
        await().atMost(WAIT).until(() -> tasks.runs(gate) == 1); // one runs and waits at the gate, 19 wait for it

        Http.Response refused = http.post(API, waitAt(gate));

        assertProblem(refused, 429, "gated", String.valueOf(CAPACITY), "queue-capacity");
        assertThat(refused.header("Retry-After")).as(refused.toString()).isNotNull();
        assertThat(Long.parseLong(refused.header("Retry-After"))).isGreaterThanOrEqualTo(1);
        Http.Response refusedBatch = http.post(API + "/batch", "{\"tasks\": [" + waitAt(gate) + "]}");
        assertProblem(refusedBatch, 429, "tasks", "queue-capacity");
        assertThat(refusedBatch.header("Retry-After")).isNotNull();
        assertThat(submitId("{\"name\": \"add\", \"args\": [1, 2]}"))
                .as("other categories have room")
                .isNotBlank();

        tasks.gate(gate).countDown();

        accepted.forEach(id -> awaitStatus(id, "SUCCESS"));
        assertThat(tasks.runs(gate))
                .as("nothing accepted was lost, nothing refused ran")
                .isEqualTo(CAPACITY);
        assertThat(submitId(waitAt(gate))).as("room again once the tasks ended").isNotBlank();
    }
}
