package io.gobstopper.tasks.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.boot.support.Http;
import io.gobstopper.tasks.boot.support.ServerTestSupport;
import io.gobstopper.tasks.boot.testapp.TasksTestApplication;
import io.gobstopper.tasks.boot.testapp.TestTasks;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/**
 * Every call of the REST table in CONTRACT.md that exists in this release, over real HTTP against a real server
 * and a real DuckDB file: each success, and each listed error as an RFC 9457 problem.
 */
@SpringBootTest(
        classes = TasksTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "gobstopper.tasks.enabled=true",
            "gobstopper.tasks.web.max-body-size=2KB",
            "gobstopper.tasks.shutdown-timeout=5s",
            "management.endpoint.health.show-details=always"
        })
@DirtiesContext
class TasksRestApiIntegrationTests extends ServerTestSupport {

    private static final List<String> TASK_FIELDS = List.of(
            "id",
            "name",
            "category",
            "priority",
            "status",
            "createdAt",
            "startedAt",
            "completedAt",
            "elapsedSeconds",
            "result",
            "error",
            "retryCount",
            "maxRetries",
            "args",
            "kwargs",
            "progress",
            "progressMessage",
            "runAt",
            "dependsOn",
            "uniqueKey",
            "timeout",
            "cancelRequested",
            "nodeId");

    @Autowired
    TestTasks tasks;

    // ---- helpers ----

    private void pause(String category) {
        workers(category, 0);
    }

    private void resume(String category) {
        workers(category, 1);
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("tasks").forEach(task -> ids.add(task.path("id").asString()));
        return ids;
    }

    // ---- POST /api/tasks ----

    @Test
    void submitAnswers202WithTheLocationAndTheTaskWithEveryContractField() {
        Http.Response answer = http.post(API, "{\"name\": \"echo\", \"args\": [\"hello\"]}");

        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.contentType()).startsWith("application/json");
        JsonNode task = answer.json();
        for (String field : TASK_FIELDS) {
            assertThat(task.has(field))
                    .as("task JSON has '" + field + "': " + task)
                    .isTrue();
        }
        String id = task.path("id").asString();
        assertThat(UUID.fromString(id)).isNotNull();
        assertThat(answer.location()).isEqualTo(API + "/" + id);
        assertThat(task.path("name").asString()).isEqualTo("echo");
        assertThat(task.path("category").asString()).isEqualTo("default");
        assertThat(task.path("priority").asString()).isEqualTo("NORMAL");
        assertThat(task.path("status").asString()).isIn("PENDING", "STARTED", "SUCCESS");
        assertThat(task.path("createdAt").asString()).endsWith("Z");
        assertThat(Instant.parse(task.path("createdAt").asString()))
                .isBefore(Instant.now().plusSeconds(1));
        assertThat(task.path("retryCount").asInt(-1)).isZero();
        assertThat(task.path("maxRetries").asInt(-1)).isZero();
        assertThat(task.path("args").isArray()).isTrue();
        assertThat(task.path("args").get(0).asString()).isEqualTo("hello");
        assertThat(task.path("kwargs").isObject()).isTrue();
        assertThat(task.path("kwargs").size()).isZero();
        assertThat(http.get(answer.location()).status()).isEqualTo(200);
    }

    @Test
    void aSucceededTaskHasProgress100AndItsReturnValueAsJsonInResult() {
        String id = submitId("{\"name\": \"echo\", \"args\": [\"result-check\"]}");

        JsonNode task = awaitStatus(id, "SUCCESS");

        assertThat(task.path("progress").asInt()).isEqualTo(100);
        assertThat(task.path("result").isObject())
                .as("result is JSON, not a string: " + task)
                .isTrue();
        assertThat(task.path("result").path("echo").asString()).isEqualTo("result-check");
        assertThat(task.path("result").path("length").asInt()).isEqualTo("result-check".length());
        assertThat(task.path("error").isNull()).isTrue();
        assertThat(Instant.parse(task.path("startedAt").asString()))
                .isAfterOrEqualTo(Instant.parse(task.path("createdAt").asString()));
        assertThat(Instant.parse(task.path("completedAt").asString()))
                .isAfterOrEqualTo(Instant.parse(task.path("startedAt").asString()));
        assertThat(task.path("elapsedSeconds").isNumber()).isTrue();
        assertThat(task.path("elapsedSeconds").asDouble()).isGreaterThanOrEqualTo(0.0);
        assertThat(tasks.runs("result-check")).isEqualTo(1);
    }

    @Test
    void submitAcceptsNamedArgumentsAndOverridesOfCategoryPriorityAndRetries() {
        JsonNode task = submit("{\"name\": \"add\", \"kwargs\": {\"a\": 2, \"b\": 3}, \"category\": \"sums\", "
                + "\"priority\": \"high\", \"maxRetries\": 2}");

        assertThat(task.path("category").asString()).isEqualTo("sums");
        assertThat(task.path("priority").asString()).isEqualTo("HIGH");
        assertThat(task.path("maxRetries").asInt()).isEqualTo(2);
        assertThat(task.path("kwargs").path("a").asInt()).isEqualTo(2);
        JsonNode done = awaitStatus(task.path("id").asString(), "SUCCESS");
        assertThat(done.path("result").asInt()).isEqualTo(5);
    }

    @Test
    void submitUsesTheDeclaredCategoryWhenNoneIsGiven() {
        assertThat(submit("{\"name\": \"add\", \"args\": [1, 2]}")
                        .path("category")
                        .asString())
                .isEqualTo("math");
    }

    @Test
    void submitAcceptsPriorityNamesInAnyCaseAndLevelsOneToFour() {
        String[][] cases = {
            {"\"low\"", "LOW"},
            {"\"Critical\"", "CRITICAL"},
            {"\"NORMAL\"", "NORMAL"},
            {"1", "LOW"},
            {"2", "NORMAL"},
            {"3", "HIGH"},
            {"4", "CRITICAL"}
        };
        for (String[] given : cases) {
            JsonNode task = submit("{\"name\": \"add\", \"args\": [1, 1], \"priority\": " + given[0] + "}");
            assertThat(task.path("priority").asString())
                    .as("priority " + given[0])
                    .isEqualTo(given[1]);
        }
    }

    @Test
    void submitOfAnUnknownTaskAnswers404NamingItAndTheTasksThatCanBeSubmitted() {
        assertProblem(http.post(API, "{\"name\": \"no_such_task\"}"), 404, "no_such_task", "echo", "add");
    }

    @Test
    void submitOfATaskNotOptedInToHttpAnswers403() {
        assertProblem(http.post(API, "{\"name\": \"internal\"}"), 403, "internal", "exposed = true");
    }

    @Test
    void submitOfMalformedJsonAnswers400() {
        assertProblem(http.post(API, "{\"name\": \"echo\", \"args\": [\"x\""), 400, "not valid JSON");
        assertProblem(http.post(API, "{\"name\": \"echo\"} trailing"), 400, "not valid JSON");
    }

    @Test
    void submitOfAJsonArrayOrScalarAnswers400() {
        assertProblem(http.post(API, "[{\"name\": \"echo\"}]"), 400, "must be a JSON object", "array");
        assertProblem(http.post(API, "\"echo\""), 400, "must be a JSON object");
    }

    @Test
    void submitWithAnUnknownFieldAnswers400NamingIt() {
        assertProblem(
                http.post(API, "{\"name\": \"echo\", \"args\": [\"x\"], \"colour\": \"red\"}"),
                400,
                "Unknown field 'colour'",
                "name");
    }

    @Test
    void submitWithoutANameOrWithAnEmptyBodyAnswers400() {
        assertProblem(http.post(API, "{\"args\": []}"), 400, "'name'", "required");
        assertProblem(http.post(API, "{\"name\": 42}"), 400, "'name'", "string");
        assertProblem(http.send("POST", API, "", Http.JSON), 400, "empty");
    }

    @Test
    void submitWithArgumentsOfTheWrongTypeAnswers400NamingTheParameter() {
        assertProblem(http.post(API, "{\"name\": \"add\", \"args\": [\"one\", 2]}"), 400, "'add'", "'a'", "int");
        assertProblem(
                http.post(API, "{\"name\": \"add\", \"kwargs\": {\"a\": 1, \"b\": {\"x\": 1}}}"), 400, "'add'", "'b'");
        assertProblem(http.post(API, "{\"name\": \"add\", \"args\": [1, null]}"), 400, "'b'", "null");
    }

    @Test
    void submitWithArgumentsThatWouldNeedCoercionAnswers400() {
        assertProblem(http.post(API, "{\"name\": \"add\", \"args\": [1.5, 2]}"), 400, "'a'", "int");
        assertProblem(http.post(API, "{\"name\": \"add\", \"args\": [\"1\", 2]}"), 400, "'a'", "int");
        assertProblem(http.post(API, "{\"name\": \"add\", \"args\": [1, 3000000000]}"), 400, "'b'", "int");
        assertProblem(http.post(API, "{\"name\": \"echo\", \"args\": [{\"text\": \"x\"}]}"), 400, "'text'", "String");
    }

    @Test
    void submitCannotBindTheInjectedTaskContext() {
        assertProblem(
                http.post(API, "{\"name\": \"echo\", \"kwargs\": {\"text\": \"x\", \"context\": {}}}"),
                400,
                "no parameter 'context'");
        assertProblem(http.post(API, "{\"name\": \"echo\", \"args\": [\"x\", {}]}"), 400, "takes 1 argument");
    }

    @Test
    void submitOfHostileOrBrokenBodiesAnswers400() {
        String deep = "[".repeat(1000) + "]".repeat(1000);
        assertProblem(http.post(API, "{\"name\": \"echo\", \"args\": " + deep + "}"), 400);
        byte[] notUtf8 = {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertProblem(http.sendChunked("POST", API, notUtf8, Http.JSON), 400);
        assertProblem(
                http.post(API, "{\"name\": \"echo\", \"args\": [\"x\"], \"maxRetries\": 1e400}"), 400, "'maxRetries'");
    }

    @Test
    void submitWithAnUnparseableContentTypeAnswers415() {
        assertProblem(
                http.send("POST", API, "{\"name\": \"echo\", \"args\": [\"x\"]}", "not a media type"),
                415,
                "not a media type");
    }

    @Test
    void aClientThatAcceptsNoJsonGetsAProblemNotAServerError() {
        Http.Response answer = http.sendAccepting("GET", API + "/stats", null, null, "application/xml");
        assertThat(answer.status()).as(answer.toString()).isIn(200, 406);
        if (answer.status() == 406) {
            assertThat(answer.contentType()).startsWith(Http.PROBLEM_JSON);
        }
        Http.Response error = http.sendAccepting("GET", API + "/" + UUID.randomUUID(), null, null, "text/html");
        assertProblem(error, 404);
    }

    @Test
    void submitWithTheWrongNumberOfArgumentsAnswers400() {
        assertProblem(http.post(API, "{\"name\": \"add\", \"args\": [1, 2, 3]}"), 400, "takes 2 arguments", "got 3");
        assertProblem(http.post(API, "{\"name\": \"add\", \"args\": [1]}"), 400, "missing argument 'b'");
        assertProblem(http.post(API, "{\"name\": \"echo\"}"), 400, "missing argument 'text'");
    }

    @Test
    void submitWithAnUnknownNamedArgumentAnswers400() {
        assertProblem(
                http.post(API, "{\"name\": \"add\", \"kwargs\": {\"a\": 1, \"b\": 2, \"c\": 3}}"),
                400,
                "no parameter 'c'",
                "a",
                "b");
        assertProblem(
                http.post(API, "{\"name\": \"add\", \"args\": [1, 2], \"kwargs\": {\"a\": 1}}"),
                400,
                "'a'",
                "both by position and by name");
    }

    @Test
    void submitWithABadPriorityAnswers400ListingTheValidOnes() {
        assertProblem(
                http.post(API, "{\"name\": \"add\", \"args\": [1, 1], \"priority\": \"urgent\"}"),
                400,
                "urgent",
                "LOW",
                "NORMAL",
                "HIGH",
                "CRITICAL");
        assertProblem(http.post(API, "{\"name\": \"add\", \"args\": [1, 1], \"priority\": 7}"), 400, "'7'", "CRITICAL");
        assertProblem(http.post(API, "{\"name\": \"add\", \"args\": [1, 1], \"priority\": 0}"), 400, "'0'");
        assertProblem(http.post(API, "{\"name\": \"add\", \"args\": [1, 1], \"priority\": true}"), 400, "priority");
    }

    @Test
    void submitWithBadMaxRetriesAnswers400() {
        for (String value : List.of("-1", "101", "\"x\"", "1.5")) {
            assertProblem(
                    http.post(API, "{\"name\": \"add\", \"args\": [1, 1], \"maxRetries\": " + value + "}"),
                    400,
                    "'maxRetries'",
                    "0 to 100");
        }
    }

    @Test
    void submitWithArgsThatAreNotAnArrayOrKwargsThatAreNotAnObjectAnswers400() {
        assertProblem(http.post(API, "{\"name\": \"echo\", \"args\": \"hello\"}"), 400, "'args'", "JSON array");
        assertProblem(
                http.post(API, "{\"name\": \"echo\", \"args\": {\"text\": \"hello\"}}"), 400, "'args'", "JSON array");
        assertProblem(http.post(API, "{\"name\": \"echo\", \"kwargs\": [\"hello\"]}"), 400, "'kwargs'", "JSON object");
    }

    @Test
    void submitWithAnInvalidCategoryAnswers400() {
        assertProblem(
                http.post(API, "{\"name\": \"echo\", \"args\": [\"x\"], \"category\": \"no spaces!\"}"),
                400,
                "category",
                "no spaces!");
    }

    @Test
    void submitOfABodyLargerThanTheLimitAnswers413NamingTheProperty() {
        String big = "{\"name\": \"echo\", \"args\": [\"" + "x".repeat(3000) + "\"]}";

        assertProblem(http.post(API, big), 413, "gobstopper.tasks.web.max-body-size", "2048");
        assertProblem(
                http.sendChunked("POST", API, big.getBytes(StandardCharsets.UTF_8), Http.JSON),
                413,
                "gobstopper.tasks.web.max-body-size");
        assertThat(http.post(API, "{\"name\": \"echo\", \"args\": [\"" + "x".repeat(1500) + "\"]}")
                        .status())
                .as("a body under the limit is accepted")
                .isEqualTo(202);
    }

    @Test
    void submitOfAFormAnswers415() {
        assertProblem(
                http.send("POST", API, "name=echo&args=x", "application/x-www-form-urlencoded"),
                415,
                "application/x-www-form-urlencoded",
                "application/json");
        assertProblem(http.send("POST", API, "name: echo", "text/plain"), 415, "text/plain");
    }

    // ---- GET /api/tasks/{id} ----

    @Test
    void getOfAnUnknownOrMalformedIdAnswers404() {
        String unknown = UUID.randomUUID().toString();
        assertProblem(http.get(API + "/" + unknown), 404, unknown);
        assertProblem(http.get(API + "/not-a-task-id"), 404, "not-a-task-id", "UUID");
    }

    // ---- GET /api/tasks ----

    @Test
    void listingIsNewestFirstWithCountTotalLimitAndOffset() {
        String category = unique("listing");
        String first = submitId("{\"name\": \"add\", \"args\": [1, 1], \"category\": \"" + category + "\"}");
        String second = submitId("{\"name\": \"echo\", \"args\": [\"b\"], \"category\": \"" + category + "\"}");
        String third = submitId("{\"name\": \"add\", \"args\": [3, 3], \"category\": \"" + category + "\"}");

        Http.Response answer = http.get(API + "?category=" + category);

        assertThat(answer.status()).isEqualTo(200);
        JsonNode page = answer.json();
        assertThat(ids(page)).containsExactly(third, second, first);
        assertThat(page.path("count").asInt()).isEqualTo(3);
        assertThat(page.path("total").asLong()).isEqualTo(3);
        assertThat(page.path("limit").asInt()).isEqualTo(50);
        assertThat(page.path("offset").asInt()).isZero();

        JsonNode paged =
                http.get(API + "?category=" + category + "&limit=1&offset=1").json();
        assertThat(ids(paged)).containsExactly(second);
        assertThat(paged.path("count").asInt()).isEqualTo(1);
        assertThat(paged.path("total").asLong()).isEqualTo(3);
        assertThat(paged.path("limit").asInt()).isEqualTo(1);
        assertThat(paged.path("offset").asInt()).isEqualTo(1);

        assertThat(ids(http.get(API + "?category=" + category + "&name=add").json()))
                .containsExactly(third, first);
        assertThat(http.get(API + "?category=" + category + "&limit=1000").status())
                .isEqualTo(200);
    }

    @Test
    void listingFiltersByStatusGivenInAnyCase() {
        String category = unique("status");
        String ok = submitId("{\"name\": \"echo\", \"args\": [\"fine\"], \"category\": \"" + category + "\"}");
        String failed = submitId("{\"name\": \"fail\", \"args\": [\"broken\"], \"category\": \"" + category + "\"}");
        awaitStatus(ok, "SUCCESS");
        awaitStatus(failed, "FAILED");

        assertThat(ids(http.get(API + "?category=" + category + "&status=success")
                        .json()))
                .containsExactly(ok);
        assertThat(ids(http.get(API + "?category=" + category + "&status=FAILED")
                        .json()))
                .containsExactly(failed);
        assertThat(http.get(API + "?category=" + category + "&status=Pending")
                        .json()
                        .path("total")
                        .asLong())
                .isZero();
    }

    @Test
    void listingWithAnUnknownStatusAnswers400ListingTheValidOnes() {
        assertProblem(
                http.get(API + "?status=DONE"),
                400,
                "DONE",
                "PENDING",
                "STARTED",
                "SUCCESS",
                "FAILED",
                "CANCELLED",
                "RETRY");
    }

    @Test
    void listingWithALimitOutsideOneToAThousandAnswers400() {
        assertProblem(http.get(API + "?limit=0"), 400, "'limit'", "1 to 1000", "0");
        assertProblem(http.get(API + "?limit=1001"), 400, "'limit'", "1001");
        assertProblem(http.get(API + "?limit=abc"), 400, "'limit'", "abc");
    }

    @Test
    void listingWithANegativeOffsetAnswers400() {
        assertProblem(http.get(API + "?offset=-1"), 400, "'offset'", "-1");
        assertProblem(http.get(API + "?offset=x"), 400, "'offset'");
    }

    // ---- GET /api/tasks/nodes ----

    @Test
    void nodesListThisInstanceAloneOnDuckDb() {
        Http.Response answer = http.get(API + "/nodes");

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        JsonNode nodes = answer.json();
        assertThat(nodes.isArray()).isTrue();
        assertThat(nodes.size()).isEqualTo(1);
        JsonNode self = nodes.get(0);
        assertThat(self.propertyNames()).containsExactly("nodeId", "startedAt", "lastSeen", "running", "self");
        assertThat(self.path("nodeId").asString()).isEqualTo(io.gobstopper.tasks.engine.TaskEngine.defaultNodeId());
        assertThat(self.path("self").asBoolean()).isTrue();
        assertThat(self.path("running").isInt()).isTrue();
        assertThat(self.path("startedAt").asString()).endsWith("Z");
    }

    @Test
    void aTaskOnDuckDbHasNoNodeId() {
        String id = submitId("{\"name\": \"echo\", \"args\": [\"no node\"]}");

        assertThat(awaitStatus(id, "SUCCESS").get("nodeId").isNull()).isTrue();
    }

    // ---- GET /api/tasks/stats ----

    @Test
    void statsCountTasksByStatusAndCategoryAndDescribeTheQueues() {
        String id = submitId("{\"name\": \"echo\", \"args\": [\"stats\"]}");
        awaitStatus(id, "SUCCESS");

        Http.Response answer = http.get(API + "/stats");

        assertThat(answer.status()).isEqualTo(200);
        JsonNode stats = answer.json();
        assertThat(stats.propertyNames())
                .contains("total", "byStatus", "byCategory", "running", "queued", "queues", "registeredTasks");
        assertThat(stats.path("total").asLong()).isPositive();
        assertThat(stats.path("byStatus").propertyNames())
                .contains("PENDING", "STARTED", "SUCCESS", "FAILED", "CANCELLED", "RETRY");
        assertThat(stats.path("byStatus").path("SUCCESS").asLong()).isPositive();
        long sumByStatus = 0;
        for (JsonNode count : stats.path("byStatus")) {
            sumByStatus += count.asLong();
        }
        assertThat(sumByStatus).isEqualTo(stats.path("total").asLong());
        assertThat(stats.path("byCategory").path("default").asLong()).isPositive();
        assertThat(stats.path("running").isInt()).isTrue();
        assertThat(stats.path("queued").isInt()).isTrue();
        JsonNode defaultQueue = stats.path("queues").path("default");
        assertThat(defaultQueue.propertyNames()).contains("queued", "running", "workers");
        assertThat(defaultQueue.path("workers").asInt()).isEqualTo(2);
        List<String> registered = new ArrayList<>();
        stats.path("registeredTasks").forEach(name -> registered.add(name.asString()));
        assertThat(registered).contains("add", "echo", "fail", "failOnce", "internal");
    }

    // ---- POST /api/tasks/{id}/cancel ----

    @Test
    void cancelOfAPendingTaskAnswers200AndTheTaskNeverRuns() {
        String category = unique("cancel");
        pause(category);
        String text = unique("never");
        String id = submitId("{\"name\": \"echo\", \"args\": [\"" + text + "\"], \"category\": \"" + category + "\"}");
        assertThat(task(id).path("status").asString()).isEqualTo("PENDING");

        Http.Response answer = http.post(API + "/" + id + "/cancel", null);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("id").asString()).isEqualTo(id);
        assertThat(answer.json().path("status").asString()).isEqualTo("CANCELLED");
        resume(category);
        String later = submitId("{\"name\": \"echo\", \"args\": [\"after\"], \"category\": \"" + category + "\"}");
        awaitStatus(later, "SUCCESS");
        assertThat(task(id).path("status").asString()).isEqualTo("CANCELLED");
        assertThat(task(id).path("startedAt").isNull()).isTrue();
        assertThat(tasks.runs(text)).isZero();
    }

    @Test
    void cancelOfAnEndedTaskAnswers409() {
        String id = submitId("{\"name\": \"echo\", \"args\": [\"done\"]}");
        awaitStatus(id, "SUCCESS");

        assertProblem(http.post(API + "/" + id + "/cancel", null), 409, id, "SUCCESS");
    }

    @Test
    void cancelOfAnUnknownTaskAnswers404() {
        String unknown = UUID.randomUUID().toString();
        assertProblem(http.post(API + "/" + unknown + "/cancel", null), 404, unknown);
        assertProblem(http.post(API + "/nope/cancel", null), 404, "nope");
    }

    // ---- POST /api/tasks/{id}/retry ----

    @Test
    void retryOfAFailedTaskAnswers202AndItRunsAgain() {
        String key = unique("again");
        String id = submitId("{\"name\": \"failOnce\", \"args\": [\"" + key + "\"]}");
        JsonNode failed = awaitStatus(id, "FAILED");
        assertThat(failed.path("error").asString()).contains("first run of " + key + " fails");

        Http.Response answer = http.post(API + "/" + id + "/retry", null);

        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.json().path("id").asString()).isEqualTo(id);
        assertThat(answer.json().path("status").asString()).isIn("PENDING", "STARTED", "SUCCESS");
        JsonNode done = awaitStatus(id, "SUCCESS");
        assertThat(done.path("result").asString()).isEqualTo("ok " + key);
        assertThat(done.path("error").isNull()).isTrue();
        assertThat(tasks.runs(key)).isEqualTo(2);
    }

    @Test
    void retryOfACancelledTaskAnswers202AndItRuns() {
        String category = unique("revive");
        pause(category);
        String text = unique("revived");
        String id = submitId("{\"name\": \"echo\", \"args\": [\"" + text + "\"], \"category\": \"" + category + "\"}");
        assertThat(http.post(API + "/" + id + "/cancel", null).status()).isEqualTo(200);
        resume(category);

        assertThat(http.post(API + "/" + id + "/retry", null).status()).isEqualTo(202);

        awaitStatus(id, "SUCCESS");
        assertThat(tasks.runs(text)).isEqualTo(1);
    }

    @Test
    void retryOfASucceededTaskAnswers409() {
        String id = submitId("{\"name\": \"echo\", \"args\": [\"fine\"]}");
        awaitStatus(id, "SUCCESS");

        assertProblem(http.post(API + "/" + id + "/retry", null), 409, id, "SUCCESS");
    }

    @Test
    void retryOfAnUnknownTaskAnswers404() {
        String unknown = UUID.randomUUID().toString();
        assertProblem(http.post(API + "/" + unknown + "/retry", null), 404, unknown);
    }

    // ---- DELETE /api/tasks/{id} ----

    @Test
    void deleteOfAPendingTaskAnswers409() {
        String category = unique("delete");
        pause(category);
        String id = submitId("{\"name\": \"echo\", \"args\": [\"waiting\"], \"category\": \"" + category + "\"}");

        assertProblem(http.delete(API + "/" + id), 409, id, "PENDING");
        assertThat(task(id).path("status").asString()).isEqualTo("PENDING");
    }

    @Test
    void deleteOfAnEndedTaskAnswers204AndTheTaskIsGone() {
        String id = submitId("{\"name\": \"echo\", \"args\": [\"bye\"]}");
        awaitStatus(id, "SUCCESS");

        Http.Response answer = http.delete(API + "/" + id);

        assertThat(answer.status()).isEqualTo(204);
        assertThat(answer.body()).isEmpty();
        assertProblem(http.get(API + "/" + id), 404, id);
        assertProblem(http.delete(API + "/" + id), 404, id);
    }

    @Test
    void deleteOfAnUnknownTaskAnswers404() {
        String unknown = UUID.randomUUID().toString();
        assertProblem(http.delete(API + "/" + unknown), 404, unknown);
        assertProblem(http.delete(API + "/not-an-id"), 404, "not-an-id");
    }

    // ---- POST /api/tasks/bulk-retry ----

    @Test
    void bulkRetryOfOneCategoryRetriesItsFailedTasks() {
        String category = unique("bulk");
        String key = unique("bulk-key");
        String failing =
                submitId("{\"name\": \"failOnce\", \"args\": [\"" + key + "\"], \"category\": \"" + category + "\"}");
        awaitStatus(failing, "FAILED");

        Http.Response answer = http.post(API + "/bulk-retry", "{\"category\": \"" + category + "\"}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("retried").asInt()).isEqualTo(1);
        assertThat(answer.json().path("totalFailed").asInt()).isEqualTo(1);
        awaitStatus(failing, "SUCCESS");
        assertThat(http.post(API + "/bulk-retry", "{\"category\": \"" + category + "\"}")
                        .json()
                        .path("retried")
                        .asInt())
                .as("nothing left to retry")
                .isZero();
    }

    @Test
    void bulkRetryWithoutACategoryRetriesEveryFailedTask() {
        String key = unique("bulk-all");
        String failing = submitId(
                "{\"name\": \"failOnce\", \"args\": [\"" + key + "\"], \"category\": \"" + unique("bulk-any") + "\"}");
        awaitStatus(failing, "FAILED");

        Http.Response answer = http.post(API + "/bulk-retry", null);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("retried").asInt()).isPositive();
        assertThat(answer.json().path("totalFailed").asInt())
                .isGreaterThanOrEqualTo(answer.json().path("retried").asInt());
        awaitStatus(failing, "SUCCESS");
        assertThat(http.post(API + "/bulk-retry", "{}").status()).isEqualTo(200);
    }

    @Test
    void bulkRetryWithAnUnknownFieldAnswers400() {
        assertProblem(
                http.post(API + "/bulk-retry", "{\"categroy\": \"x\"}"), 400, "Unknown field 'categroy'", "category");
    }

    // ---- POST /api/tasks/cleanup ----

    @Test
    void cleanupDeletesEndedTasksOlderThanTheGivenDuration() {
        String id = submitId("{\"name\": \"echo\", \"args\": [\"old\"]}");
        awaitStatus(id, "SUCCESS");

        Http.Response keepRecent = http.post(API + "/cleanup", "{\"olderThan\": \"P30D\"}");
        assertThat(keepRecent.status()).isEqualTo(200);
        assertThat(keepRecent.json().path("deleted").asInt(-1)).isZero();
        assertThat(http.get(API + "/" + id).status()).isEqualTo(200);

        Http.Response all = http.post(API + "/cleanup", "{\"olderThan\": \"PT0S\"}");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json().path("deleted").asInt()).isPositive();
        assertProblem(http.get(API + "/" + id), 404, id);
    }

    @Test
    void cleanupWithABadDurationAnswers400() {
        assertProblem(
                http.post(API + "/cleanup", "{\"olderThan\": \"yesterday\"}"), 400, "'olderThan'", "yesterday", "P30D");
        assertProblem(http.post(API + "/cleanup", "{\"olderThan\": \"-PT1S\"}"), 400, "'olderThan'", "negative");
        assertProblem(http.post(API + "/cleanup", "{\"olderThan\": \"P1M\"}"), 400, "'olderThan'", "P1M");
        assertProblem(http.post(API + "/cleanup", "{\"olderThan\": 30}"), 400, "'olderThan'");
        assertProblem(http.post(API + "/cleanup", "{}"), 400, "'olderThan'", "required");
        assertProblem(http.post(API + "/cleanup", null), 400, "empty");
    }

    // ---- PUT /api/tasks/categories/{category}/workers ----

    @Test
    void resizingACategoryAnswers200WithItsNewSize() {
        String category = unique("resize");

        Http.Response answer = http.put(API + "/categories/" + category + "/workers", "{\"workers\": 3}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("category").asString()).isEqualTo(category);
        assertThat(answer.json().path("workers").asInt()).isEqualTo(3);
        assertThat(http.get(API + "/stats")
                        .json()
                        .path("queues")
                        .path(category)
                        .path("workers")
                        .asInt())
                .isEqualTo(3);
    }

    @Test
    void resizingToAWorkerCountOutsideZeroTo256Answers400() {
        for (String workers : List.of("257", "-1", "\"x\"", "2.5", "null")) {
            assertProblem(
                    http.put(API + "/categories/default/workers", "{\"workers\": " + workers + "}"),
                    400,
                    "'workers'",
                    "0 to 256");
        }
        assertProblem(http.put(API + "/categories/default/workers", "{}"), 400, "'workers'", "required");
        assertProblem(http.put(API + "/categories/bad%20name/workers", "{\"workers\": 1}"), 400, "category");
        assertThat(http.get(API + "/stats")
                        .json()
                        .path("queues")
                        .path("default")
                        .path("workers")
                        .asInt())
                .as("the refused sizes changed nothing")
                .isEqualTo(2);
    }

    // ---- the error model beyond the table ----

    @Test
    void anUnknownPathUnderTheBasePathAnswers404Problem() {
        assertProblem(http.get(API + "/no/such/thing"), 404, "/api/tasks/no/such/thing");
        assertProblem(http.post(API + "/" + UUID.randomUUID() + "/explode", "{}"), 404, "explode");
    }

    @Test
    void aWrongMethodAnswers405ProblemNamingTheAllowedOnes() {
        Http.Response put = http.put(API, "{}");
        assertProblem(put, 405, "PUT", "GET", "POST");
        assertThat(put.allow()).contains("GET").contains("POST");
        assertProblem(http.send("PATCH", API + "/stats", "{}", Http.JSON), 405, "PATCH", "GET");
        assertProblem(http.delete(API), 405, "DELETE", "GET", "POST");
        assertProblem(http.put(API + "/bulk-retry", "{}"), 405, "PUT", "POST");
    }

    // ---- Actuator, with no exposure configured by the application ----

    @Test
    void actuatorShowsTheTasksEndpointAndAHealthyTasksComponentWithoutFurtherConfiguration() {
        Http.Response tasksEndpoint = http.get("/actuator/tasks");
        assertThat(tasksEndpoint.status()).as(tasksEndpoint.toString()).isEqualTo(200);
        JsonNode overview = tasksEndpoint.json();
        assertThat(overview.path("enabled").asBoolean()).isTrue();
        assertThat(overview.path("store").asString()).isEqualTo("duckdb");
        List<String> names = new ArrayList<>();
        overview.path("registeredTasks")
                .forEach(task -> names.add(task.path("name").asString()));
        assertThat(names).contains("echo", "add", "internal");
        assertThat(overview.propertyNames()).contains("categories", "byStatus", "recentFailures");

        String id = submitId("{\"name\": \"echo\", \"args\": [\"actuator\"]}");
        Http.Response one = http.get("/actuator/tasks/" + id);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().path("id").asString()).isEqualTo(id);
        assertThat(http.get("/actuator/tasks/" + UUID.randomUUID()).status()).isEqualTo(404);

        Http.Response health = http.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        JsonNode component = health.json().path("components").path("tasks");
        assertThat(component.path("status").asString()).as(health.body()).isEqualTo("UP");
        assertThat(component.path("details").path("store").asString()).isEqualTo("duckdb");
    }
}
