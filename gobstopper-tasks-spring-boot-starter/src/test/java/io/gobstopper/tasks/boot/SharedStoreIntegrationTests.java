package io.gobstopper.tasks.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gobstopper.tasks.boot.support.Http;
import io.gobstopper.tasks.boot.support.SharedStoreInstances;
import io.gobstopper.tasks.boot.support.SseClient;
import io.gobstopper.tasks.boot.support.TestPostgres;
import io.gobstopper.tasks.boot.testapp.SharedStoreTestApplication.Orders;
import io.gobstopper.tasks.boot.web.TaskEventBroadcaster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Two instances of an application, each a real Spring Boot application with its own web server, on one PostgreSQL
 * schema: {@code node-one} on the application's DataSource ({@code spring.datasource.url}) with workers, and
 * {@code node-two} on a pool of the store's own ({@code gobstopper.tasks.postgres.datasource.url}, its application
 * keeping an H2 DataSource) with no workers, so every task runs on {@code node-one} and {@code node-two} only watches.
 */
class SharedStoreIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static String schema;
    private static ConfigurableApplicationContext one;
    private static ConfigurableApplicationContext two;
    private static Http httpOne;
    private static Http httpTwo;

    @BeforeAll
    static void startTwoInstances() {
        schema = TestPostgres.newSchema();
        one = start("node-one", "spring.datasource.url=" + TestPostgres.URL, "gobstopper.tasks.workers=2");
        TestPostgres.execute("CREATE TABLE " + schema + ".orders (id TEXT PRIMARY KEY)");
        two = start(
                "node-two",
                "gobstopper.tasks.postgres.datasource.url=" + TestPostgres.URL,
                "gobstopper.tasks.workers=0");
        httpOne = new Http(port(one));
        httpTwo = new Http(port(two));
    }

    private static ConfigurableApplicationContext start(String nodeId, String... more) {
        List<String> properties = new ArrayList<>(List.of(more));
        properties.add("gobstopper.tasks.postgres.lease-timeout=2s");
        return SharedStoreInstances.start(schema, nodeId, properties.toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext context) {
        return SharedStoreInstances.port(context);
    }

    @AfterAll
    static void stop() {
        try {
            if (two != null) {
                two.close();
            }
            if (one != null) {
                one.close();
            }
            for (Http http : new Http[] {httpOne, httpTwo}) {
                if (http != null) {
                    assertThat(http.responses())
                            .filteredOn(answer -> answer.status() >= 500)
                            .as("server errors")
                            .isEmpty();
                }
            }
        } finally {
            if (schema != null) {
                TestPostgres.dropSchema(schema);
            }
        }
    }

    private static JsonNode task(Http http, String id) {
        Http.Response answer = http.get("/api/tasks/" + id);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json();
    }

    private static JsonNode awaitSuccess(Http http, String id) {
        await().atMost(WAIT)
                .until(() -> task(http, id).path("status").asString().equals("SUCCESS"));
        return task(http, id);
    }

    private static String submitOnOne(String text) {
        Http.Response answer = httpOne.post("/api/tasks", "{\"name\": \"echo\", \"args\": [\"" + text + "\"]}");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
        return answer.json().path("id").asString();
    }

    @Test
    void aTaskSubmittedOverRestOnOneInstanceSucceedsAsTheOtherInstanceSeesIt() {
        String id = submitOnOne("shared");

        JsonNode done = awaitSuccess(httpTwo, id);

        assertThat(done.path("nodeId").asString()).as("node-two has no workers").isEqualTo("node-one");
        assertThat(done.path("result").path("echo").asString()).isEqualTo("shared");
        assertThat(done.path("progress").asInt()).isEqualTo(100);
        assertThat(task(httpOne, id)).isEqualTo(done);
    }

    @Test
    void anEventStreamClientOnOneInstanceHearsTheTasksAnotherInstanceRan() {
        TaskEventBroadcaster broadcaster = two.getBean(TaskEventBroadcaster.class);
        assertThat(broadcaster.wantsRemoteEvents()).as("nobody watches yet").isFalse();
        try (SseClient events = SseClient.connect(port(two), "/api/tasks/events")) {
            assertThat(events.status()).isEqualTo(200);
            events.await(event -> event.name().equals("stats"), WAIT);
            assertThat(broadcaster.wantsRemoteEvents()).isTrue();

            String id = submitOnOne("watched");

            SseClient.Event succeeded = events.await(
                    event -> event.name().equals("succeeded")
                            && event.json().path("id").asString().equals(id),
                    WAIT);
            assertThat(succeeded.json().path("status").asString()).isEqualTo("SUCCESS");
            assertThat(succeeded.json().path("nodeId").asString()).isEqualTo("node-one");
            assertThat(succeeded.json().path("result").path("echo").asString()).isEqualTo("watched");
            assertThat(events.taskEvents())
                    .filteredOn(event -> event.json().path("id").asString().equals(id))
                    .extracting(SseClient.Event::name)
                    .contains("submitted", "started", "succeeded");
        }
        await().atMost(WAIT).until(() -> !broadcaster.wantsRemoteEvents());
    }

    @Test
    void analyticsAndCsvExportComeFromPostgresAndArchiveAndParquetAreRefusedAsDuckDbOnly() {
        awaitSuccess(httpOne, submitOnOne("analytics"));

        Http.Response analytics = httpTwo.get("/api/tasks/analytics?groupBy=category");
        assertThat(analytics.status()).as(analytics.toString()).isEqualTo(200);
        assertThat(analytics
                        .json()
                        .path("groups")
                        .get(0)
                        .path("byStatus")
                        .path("SUCCESS")
                        .asLong())
                .isPositive();
        assertThat(analytics
                        .json()
                        .path("groups")
                        .get(0)
                        .path("execution")
                        .path("p50")
                        .isNumber())
                .isTrue();

        Http.Response archive = httpOne.post("/api/tasks/archive", "{\"olderThan\": \"P1D\"}");
        assertThat(archive.status()).as(archive.toString()).isEqualTo(409);
        assertThat(archive.contentType()).startsWith(Http.PROBLEM_JSON);
        assertThat(archive.detail()).contains("DuckDB-only");
        Http.Response csv = httpOne.get("/api/tasks/export?format=csv&name=echo");
        assertThat(csv.status()).as(csv.toString()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.header("Content-Disposition")).isEqualTo("attachment; filename=tasks.csv");
        assertThat(csv.body().lines().skip(1)).isNotEmpty().allMatch(line -> line.contains(",echo,"));
        Http.Response parquet = httpOne.get("/api/tasks/export?format=parquet");
        assertThat(parquet.status()).as(parquet.toString()).isEqualTo(409);
        assertThat(parquet.detail()).contains("DuckDB-only");
    }

    @Test
    void theNodesEndpointListsBothInstancesThisOneFirst() {
        Http.Response answer = httpTwo.get("/api/tasks/nodes");

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        JsonNode nodes = answer.json();
        assertThat(nodes.size()).as(nodes.toString()).isEqualTo(2);
        assertThat(nodes.get(0).path("nodeId").asString()).isEqualTo("node-two");
        assertThat(nodes.get(0).path("self").asBoolean()).isTrue();
        assertThat(nodes.get(1).path("nodeId").asString()).isEqualTo("node-one");
        assertThat(nodes.get(1).path("self").asBoolean(true)).isFalse();
        for (JsonNode node : nodes) {
            assertThat(node.path("startedAt").asString()).endsWith("Z");
            assertThat(node.path("lastSeen").asString()).endsWith("Z");
            assertThat(node.path("running").isInt()).isTrue();
        }
        assertThat(httpOne.get("/api/tasks/nodes").json().get(0).path("nodeId").asString())
                .isEqualTo("node-one");
    }

    @Test
    void actuatorShowsTheStoreTheNodesAndThisInstancesNodeId() {
        JsonNode overview = httpOne.get("/actuator/tasks").json();
        assertThat(overview.path("store").asString()).isEqualTo("postgres");
        assertThat(overview.path("nodes").size()).isEqualTo(2);
        assertThat(overview.path("nodes").get(0).path("nodeId").asString()).isEqualTo("node-one");

        JsonNode health =
                httpTwo.get("/actuator/health").json().path("components").path("tasks");
        assertThat(health.path("status").asString()).isEqualTo("UP");
        assertThat(health.path("details").path("store").asString()).isEqualTo("postgres");
        assertThat(health.path("details").path("nodeId").asString()).isEqualTo("node-two");
    }

    @Test
    void theStoresOwnPoolIsNoBeanAndTheApplicationKeepsItsDataSource() throws Exception {
        assertThat(two.getBeansOfType(DataSource.class)).hasSize(1);
        try (var connection = two.getBean(DataSource.class).getConnection()) {
            assertThat(connection.getMetaData().getURL()).startsWith("jdbc:h2:");
        }
        assertThat(one.getBeansOfType(DataSource.class)).hasSize(1);
    }

    @Test
    void aSubmitInATransactionThatRollsBackLeavesNeitherTheOrderNorTheTask() {
        Orders orders = one.getBean(Orders.class);
        AtomicReference<UUID> submitted = new AtomicReference<>();

        assertThatThrownBy(() -> orders.place("o-rollback", id -> {
                    submitted.set(id);
                    throw new IllegalStateException("payment declined");
                }))
                .hasMessage("payment declined");

        assertThat(submitted.get()).isNotNull();
        assertThat(orders.count("o-rollback")).isZero();
        assertThat(httpOne.get("/api/tasks/" + submitted.get()).status()).isEqualTo(404);
        assertThat(httpTwo.get("/api/tasks/" + submitted.get()).status()).isEqualTo(404);
        assertThat(TestPostgres.count("SELECT count(*) FROM " + schema + ".tasks WHERE id = '" + submitted.get() + "'"))
                .isZero();
    }

    @Test
    void aSubmitInATransactionThatCommitsRunsOnceCommittedAndNotBefore() {
        Orders orders = one.getBean(Orders.class);
        List<Integer> seenBeforeCommit = new ArrayList<>();

        UUID id = orders.place("o-commit", submitted -> {
            // another instance reads the store on its own connection: the task is not there until the commit
            seenBeforeCommit.add(httpTwo.get("/api/tasks/" + submitted).status());
        });

        assertThat(seenBeforeCommit).containsExactly(404);
        assertThat(orders.count("o-commit")).isEqualTo(1);
        JsonNode done = awaitSuccess(httpTwo, id.toString());
        assertThat(done.path("result").path("echo").asString()).isEqualTo("order o-commit");
    }
}
