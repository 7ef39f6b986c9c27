package io.gobstopper.tasks.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.boot.support.Http;
import io.gobstopper.tasks.boot.support.ServerTestSupport;
import io.gobstopper.tasks.boot.testapp.TasksTestApplication;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Analytics, archive and export over real HTTP against a real DuckDB file: their answers, and a 400 problem naming
 * the parameter and the allowed values for each bad input.
 */
@SpringBootTest(
        classes = TasksTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "gobstopper.tasks.enabled=true",
            "gobstopper.tasks.shutdown-timeout=5s",
            "management.endpoints.web.exposure.include=tasks"
        })
@DirtiesContext
class AnalyticsIntegrationTests extends ServerTestSupport {

    @DynamicPropertySource
    static void archive(DynamicPropertyRegistry registry) {
        registry.add(
                "gobstopper.tasks.duckdb.archive-path",
                () -> dir.resolve("archive").toString());
    }

    private List<String> runEchoes(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(submitId("{\"name\": \"echo\", \"args\": [\"analytics-" + i + "\"]}"));
        }
        ids.forEach(id -> awaitStatus(id, "SUCCESS"));
        return ids;
    }

    private static JsonNode group(JsonNode analytics, String key) {
        for (JsonNode group : analytics.path("groups")) {
            if (group.path("key").asString().equals(key)) {
                return group;
            }
        }
        throw new AssertionError("no group " + key + " in " + analytics);
    }

    private static long total(JsonNode analytics) {
        long total = 0;
        for (JsonNode group : analytics.path("groups")) {
            total += group.path("total").asLong();
        }
        return total;
    }

    @Test
    void analyticsAnswersGroupsWithCountsPercentilesAndThroughput() {
        runEchoes(3);

        Http.Response answer = http.get(API + "/analytics");

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        JsonNode analytics = answer.json();
        assertThat(analytics.path("since").asString()).isEqualTo("PT24H");
        assertThat(analytics.path("groupBy").asString()).isEqualTo("name");
        JsonNode echo = group(analytics, "echo");
        assertThat(echo.path("total").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(echo.path("byStatus").path("SUCCESS").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(echo.path("byStatus").has("FAILED")).isTrue();
        assertThat(echo.path("errorRate").isNumber()).isTrue();
        for (String field : List.of("p50", "p95", "p99", "max")) {
            assertThat(echo.path("execution").path(field).asDouble(-1))
                    .as(field)
                    .isGreaterThanOrEqualTo(0);
        }
        assertThat(echo.path("wait").path("p50").isNumber()).isTrue();
        assertThat(echo.path("wait").path("p95").isNumber()).isTrue();
        JsonNode minute = analytics.path("throughput").get(0);
        assertThat(Instant.parse(minute.path("minute").asString()).getEpochSecond() % 60)
                .isZero();
        assertThat(minute.path("succeeded").isNumber()).isTrue();

        JsonNode byCategory =
                http.get(API + "/analytics?since=PT1H&groupBy=category").json();
        assertThat(byCategory.path("since").asString()).isEqualTo("PT1H");
        assertThat(group(byCategory, "default").path("total").asLong()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void theTasksEndpointSummarizesTheLastDaysAnalytics() {
        runEchoes(1);

        JsonNode overview = http.get("/actuator/tasks").json();

        assertThat(overview.path("analytics").path("since").asString()).isEqualTo("PT24H");
        assertThat(group(overview.path("analytics"), "echo").path("total").asLong())
                .isPositive();
    }

    @Test
    void archivedTasksStillCountInAnalyticsThatIncludeTheArchive() {
        runEchoes(3);
        JsonNode before =
                http.get(API + "/analytics?includeArchive=true&since=P1D").json();

        Http.Response answer = http.post(API + "/archive", "{\"olderThan\": \"PT0S\"}");

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.json().path("archived").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(answer.json().path("files").get(0).asString())
                .startsWith("day=")
                .endsWith(".parquet");
        JsonNode after =
                http.get(API + "/analytics?includeArchive=true&since=P1D").json();
        assertThat(total(after)).isEqualTo(total(before));
        assertThat(group(after, "echo").path("byStatus"))
                .isEqualTo(group(before, "echo").path("byStatus"));
        assertThat(total(http.get(API + "/analytics?since=P1D").json())).isLessThan(total(before));
    }

    @Test
    void exportDownloadsTheFilteredTasksAsCsvOrJson() {
        runEchoes(2);

        Http.Response csv = http.get(API + "/export?format=csv&name=echo&status=success");

        assertThat(csv.status()).as(csv.toString()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.header("Content-Disposition")).isEqualTo("attachment; filename=tasks.csv");
        assertThat(csv.body().lines().findFirst().orElseThrow()).startsWith("id,name,category");
        assertThat(csv.body().lines().skip(1))
                .isNotEmpty()
                .allMatch(line -> line.contains(",echo,") && line.contains(",SUCCESS,"));

        Http.Response json = http.get(API + "/export?format=json");
        assertThat(json.status()).as(json.toString()).isEqualTo(200);
        assertThat(json.contentType()).startsWith("application/json");
        assertThat(json.header("Content-Disposition")).isEqualTo("attachment; filename=tasks.json");
        assertThat(json.json().isArray()).isTrue();

        Http.Response parquet = http.get(API + "/export?format=PARQUET");
        assertThat(parquet.status()).isEqualTo(200);
        assertThat(parquet.header("Content-Disposition")).isEqualTo("attachment; filename=tasks.parquet");
    }

    @Test
    void badParametersAnswer400ProblemsNamingTheParameterAndTheAllowedValues() {
        for (String since : List.of("abc", "PT0S", "-PT1H", "P3651D", "30d")) {
            assertProblem(http.get(API + "/analytics?since=" + since), 400, "'since'", "ISO-8601", "P3650D");
        }
        assertProblem(http.get(API + "/analytics?groupBy=status"), 400, "'groupBy'", "name, category", "status");
        assertProblem(http.get(API + "/analytics?includeArchive=maybe"), 400, "'includeArchive'", "true or false");
        assertProblem(http.get(API + "/export?format=xml"), 400, "'format'", "csv, json, parquet", "xml");
        assertProblem(http.get(API + "/export?status=done"), 400, "'status'");
        assertProblem(http.post(API + "/archive", "{\"olderThan\": \"soon\"}"), 400, "'olderThan'", "P30D");
        assertProblem(http.post(API + "/archive", "{\"olderThan\": \"-P1D\"}"), 400, "'olderThan'", "negative");
        assertProblem(http.post(API + "/archive", "{}"), 400, "olderThan");
    }
}
