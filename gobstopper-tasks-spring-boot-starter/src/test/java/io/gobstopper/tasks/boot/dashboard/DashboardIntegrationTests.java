package io.gobstopper.tasks.boot.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.boot.support.Http;
import io.gobstopper.tasks.boot.support.ServerTestSupport;
import io.gobstopper.tasks.boot.testapp.TasksTestApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard's page, assets and {@code config.json} over real HTTP, with every path moved: a servlet context
 * path, a custom REST base path and a custom dashboard path, and read-only on. The page finds the REST API
 * through {@code config.json}; its assets load relative to the {@code <base>} the server writes into it.
 */
@SpringBootTest(
        classes = TasksTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "gobstopper.tasks.enabled=true",
            "gobstopper.tasks.shutdown-timeout=5s",
            "server.servlet.context-path=/svc",
            "gobstopper.tasks.web.base-path=/jobs",
            "gobstopper.tasks.dashboard.path=/ops/board",
            "gobstopper.tasks.web.read-only=true"
        })
@DirtiesContext
class DashboardIntegrationTests extends ServerTestSupport {

    @Test
    void thePageIsServedAtTheDashboardPathWithABaseForItsAssets() {
        for (String path : new String[] {"/svc/ops/board", "/svc/ops/board/"}) {
            Http.Response page = http.get(path);
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            assertThat(page.contentType()).startsWith("text/html");
            assertThat(page.body())
                    .contains("<base href=\"/svc/ops/board/\">")
                    .contains("src=\"assets/dashboard.js\"")
                    .contains("src=\"vendor/chart.js/chart.umd.min.js\"")
                    .doesNotContain("{{");
            assertThat(page.header("Cache-Control")).contains("no-store");
            assertThat(page.header("Content-Security-Policy")).contains("default-src 'self'");
        }
        assertThat(http.get("/svc/gobstopper").status())
                .as("the default path is moved too")
                .isEqualTo(404);
    }

    @Test
    void configTellsThePageWhereTheApiIsAndThatItIsReadOnly() {
        Http.Response config = http.get("/svc/ops/board/config.json");

        assertThat(config.status()).isEqualTo(200);
        assertThat(config.contentType()).startsWith("application/json");
        JsonNode json = config.json();
        assertThat(json.path("apiBase").asString()).isEqualTo("/svc/jobs");
        assertThat(json.path("readOnly").asBoolean(false)).isTrue();
        assertThat(json.path("chart").asBoolean(false)).isTrue();
    }

    @Test
    void theScriptTheStylesAndTheChartLibraryComeFromTheStartersJars() {

        Http.Response script = http.get("/svc/ops/board/assets/dashboard.js");
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.contentType()).contains("javascript");
        assertThat(script.body()).contains("EventSource");
        Http.Response styles = http.get("/svc/ops/board/assets/dashboard.css");
        assertThat(styles.status()).isEqualTo(200);
        assertThat(styles.contentType()).startsWith("text/css");
        Http.Response chart = http.get("/svc/ops/board/vendor/chart.js/chart.umd.min.js");
        assertThat(chart.status()).isEqualTo(200);
        assertThat(chart.contentType()).contains("javascript");
        assertThat(chart.body()).contains("Chart.js");

        assertThat(http.get("/svc/ops/board/assets/../index.html").status()).isIn(400, 404);
        assertThat(http.get("/svc/ops/board/vendor/chart.js/../package.json").status())
                .isIn(400, 404);
    }
}
