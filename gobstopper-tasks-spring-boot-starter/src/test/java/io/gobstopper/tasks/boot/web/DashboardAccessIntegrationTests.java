package io.gobstopper.tasks.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.boot.support.ServerTestSupport;
import io.gobstopper.tasks.boot.testapp.TasksTestApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Without Spring Security: the dashboard path answers the local machine (this test's real HTTP requests come from
 * loopback), and {@code read-only=true} refuses the management operations but not reads or submits.
 */
@SpringBootTest(
        classes = TasksTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "gobstopper.tasks.enabled=true",
            "gobstopper.tasks.shutdown-timeout=5s",
            "gobstopper.tasks.web.read-only=true",
            "gobstopper.tasks.dashboard.path=/ops/tasks"
        })
@DirtiesContext
class DashboardAccessIntegrationTests extends ServerTestSupport {

    @Test
    void theDashboardPathAnswersRequestsFromTheLocalMachine() {
        // no page is served in this test application: anything but the filter's 403 shows the request got through
        assertThat(http.get("/ops/tasks").status()).isNotEqualTo(403);
        assertThat(http.get("/ops/tasks/app.js").status()).isNotEqualTo(403);
    }

    @Test
    void readOnlyRefusesTheManagementOperationsButNotReadsOrSubmits() {
        String id = submitId("{\"name\": \"echo\", \"args\": [\"read only\"]}");
        awaitStatus(id, "SUCCESS");

        assertProblem(
                http.post(API + "/" + id + "/retry", null), 403, "read-only", "gobstopper.tasks.web.read-only=false");
        assertProblem(http.post(API + "/" + id + "/cancel", null), 403, "read-only");
        assertProblem(http.delete(API + "/" + id), 403, "read-only");
        assertProblem(http.post(API + "/bulk-retry", "{}"), 403, "read-only");
        assertProblem(http.post(API + "/cleanup", "{\"olderThan\": \"P1D\"}"), 403, "read-only");
        assertProblem(http.post(API + "/archive", "{\"olderThan\": \"P1D\"}"), 403, "read-only");
        assertProblem(http.put(API + "/categories/math/workers", "{\"workers\": 1}"), 403, "read-only");
        assertProblem(http.post(API + "/schedules/anything/pause", null), 403, "read-only");

        assertThat(task(id).path("status").asString()).isEqualTo("SUCCESS");
        assertThat(http.get(API + "/stats").status()).isEqualTo(200);
        assertThat(http.get(API + "?limit=5").status()).isEqualTo(200);
    }
}
