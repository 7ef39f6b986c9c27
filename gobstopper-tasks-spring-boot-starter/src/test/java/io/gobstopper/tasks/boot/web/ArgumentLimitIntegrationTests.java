package io.gobstopper.tasks.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.boot.support.ServerTestSupport;
import io.gobstopper.tasks.boot.testapp.TasksTestApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

/** Arguments larger than a task may carry answer 413 even when the body itself is within the allowed size. */
@SpringBootTest(
        classes = TasksTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"gobstopper.tasks.enabled=true", "gobstopper.tasks.web.max-body-size=4MB"})
@DirtiesContext
class ArgumentLimitIntegrationTests extends ServerTestSupport {

    @Test
    void argumentsOverTheLimitAnswer413AndStoreNothing() {
        String huge = "x".repeat((1 << 20) + 1);
        assertProblem(
                http.post(API, "{\"name\": \"echo\", \"args\": [\"" + huge + "\"]}"),
                413,
                "Task 'echo'",
                "characters as JSON",
                "pass a reference");
        assertThat(http.get(API + "/stats").json().path("total").asLong()).isZero();
    }
}
