package io.gobstopper.tasks.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.boot.support.Http;
import io.gobstopper.tasks.boot.support.ServerTestSupport;
import io.gobstopper.tasks.boot.testapp.TasksTestApplication;
import io.gobstopper.tasks.boot.testapp.TestTasks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/** {@code POST /api/tasks/batch} over real HTTP: all or nothing, and every refusal names the item at fault. */
@SpringBootTest(
        classes = TasksTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"gobstopper.tasks.enabled=true", "gobstopper.tasks.shutdown-timeout=5s"})
@DirtiesContext
class BatchSubmitIntegrationTests extends ServerTestSupport {

    private static final String BATCH = API + "/batch";

    @Autowired
    TestTasks tasks;

    private static String batch(String... items) {
        return "{\"tasks\": [" + String.join(", ", items) + "]}";
    }

    private static String echo(String text) {
        return "{\"name\": \"echo\", \"args\": [\"" + text + "\"]}";
    }

    /** Sends a batch that must be refused with this status, and checks that nothing of it was stored. */
    private void assertRefused(String body, int status, String... detailParts) {
        long before = storedTasks();
        assertProblem(http.post(BATCH, body), status, detailParts);
        assertThat(storedTasks()).as("nothing of a refused batch is stored").isEqualTo(before);
    }

    @Test
    void anItemWithABadFieldRefusesTheWholeBatchNamingTheItemAndField() {
        String first = unique("first");
        assertRefused(
                batch(echo(first), echo("b"), "{\"name\": \"echo\", \"args\": [\"c\"], \"priority\": \"urgent\"}"),
                400,
                "tasks[2].priority",
                "urgent");
        assertRefused(
                batch(echo("a"), "{\"name\": \"echo\", \"args\": [\"b\"], \"delay\": \"-1s\"}"), 400, "tasks[1].delay");
        assertRefused(
                batch(echo("a"), "{\"name\": \"echo\", \"args\": [\"b\"], \"dependsOn\": [\"x\"]}"),
                400,
                "tasks[1].dependsOn[0]");
        assertThat(tasks.runs(first)).isZero();
    }

    @Test
    void anItemWithAnUnknownFieldOrThatIsNotAnObjectAnswers400NamingTheItem() {
        assertRefused(batch(echo("a"), "{\"name\": \"echo\", \"argz\": []}"), 400, "tasks[1].argz");
        assertRefused(batch(echo("a"), "\"echo\""), 400, "tasks[1]", "object");
        assertRefused(batch(echo("a"), "{}"), 400, "tasks[1].name", "required");
    }

    @Test
    void anItemNotOptedInToHttpAnswers403AndAnUnknownOne404NamingTheItem() {
        assertRefused(batch(echo("a"), "{\"name\": \"internal\"}"), 403, "tasks[1]", "internal", "exposed = true");
        assertRefused(batch(echo("a"), echo("b"), "{\"name\": \"nope\"}"), 404, "tasks[2]", "nope");
    }

    @Test
    void anEmptyMissingOrOversizedListAnswers400() {
        assertRefused("{\"tasks\": []}", 400, "'tasks'", "1 to 1000");
        assertRefused("{}", 400, "'tasks'", "1 to 1000");
        assertRefused("{\"tasks\": {\"name\": \"echo\"}}", 400, "'tasks'", "array");
        assertRefused(null, 400, "empty");
        assertRefused("{\"tasks\": [], \"extra\": 1}", 400, "'extra'");
        List<String> many = new ArrayList<>(Collections.nCopies(1001, echo("many")));
        assertRefused(batch(many.toArray(String[]::new)), 400, "'tasks'", "1 to 1000", "1001");
    }

    // ---- behaviour (needs the engine's support) ----

    @Test
    void aValidBatchAnswers202WithTheIdsInOrderAndEveryTaskRuns() {
        List<String> texts = List.of(unique("one"), unique("two"), unique("three"));

        Http.Response answer = http.post(
                BATCH,
                batch(
                        echo(texts.get(0)),
                        echo(texts.get(1)),
                        "{\"name\": \"add\", \"kwargs\": {\"a\": 1, \"b\": 2}, \"priority\": \"high\"}",
                        echo(texts.get(2))));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
        JsonNode ids = answer.json().path("taskIds");
        assertThat(answer.json().path("total").asInt()).isEqualTo(4);
        assertThat(ids.size()).isEqualTo(4);
        List<String> distinct = new ArrayList<>();
        ids.forEach(id -> distinct.add(id.asString()));
        assertThat(new HashSet<>(distinct)).hasSize(4);
        distinct.forEach(id -> awaitStatus(id, "SUCCESS"));
        assertThat(task(distinct.get(2)).path("result").asInt()).isEqualTo(3);
        assertThat(task(distinct.get(2)).path("priority").asString()).isEqualTo("HIGH");
        texts.forEach(text -> assertThat(tasks.runs(text)).isEqualTo(1));
    }

    @Test
    void anItemTheEngineRefusesStoresNothingAndTheDetailNamesTheItem() {
        String first = unique("kept-out");

        assertRefused(
                batch(echo(first), "{\"name\": \"add\", \"args\": [1, \"two\"]}", echo("c")),
                400,
                "item 1",
                "'add'",
                "Nothing of the batch was stored");
        assertThat(tasks.runs(first)).isZero();
    }
}
