package io.gobstopper.tasks.boot.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gobstopper.tasks.ManagedTaskQueue;
import io.gobstopper.tasks.boot.support.Http;
import io.gobstopper.tasks.boot.support.SharedStoreInstances;
import io.gobstopper.tasks.boot.support.TestPostgres;
import io.gobstopper.tasks.boot.testapp.TestTasks;
import io.gobstopper.tasks.contract.TcpProxy;
import io.gobstopper.tasks.engine.TaskEngine;
import io.gobstopper.tasks.store.postgres.PostgresTaskStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The database goes away under two running instances, for real: both reach PostgreSQL through a TCP proxy that drops
 * every connection and refuses new ones, then lets them through again. {@code node-one} uses the application's
 * DataSource (its pool's connection timeout set as the README advises), {@code node-two} a pool of the store's own.
 * Meanwhile every submit and read is answered 503 with Retry-After in under 2 s (the first ones within the pool's
 * connection timeout, the others at once: no request thread is seen waiting for a pooled connection), health is DOWN
 * with the reason, and runs that end meanwhile keep their outcomes; afterwards health is UP without a restart, every accepted task
 * succeeded, and none ran twice.
 */
class SharedStoreOutageIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** The bound on how long a refused request may take. */
    private static final long BOUND_MILLIS = 2000;

    private static final String DURING = "{\"name\": \"echo\", \"args\": [\"during\"]}";

    private static final Pattern HOST_PORT = Pattern.compile("//([^/:]+):(\\d+)/");

    private static String schema;
    private static TcpProxy proxy;
    private static ConfigurableApplicationContext one;
    private static ConfigurableApplicationContext two;
    private static Http httpOne;
    private static Http httpTwo;

    @BeforeAll
    static void startTwoInstancesBehindTheProxy() {
        schema = TestPostgres.newSchema();
        Matcher target = HOST_PORT.matcher(TestPostgres.URL);
        assertThat(target.find()).as(TestPostgres.URL).isTrue();
        proxy = TcpProxy.to(target.group(1), Integer.parseInt(target.group(2)));
        String proxied = target.replaceFirst("//127.0.0.1:" + proxy.port() + "/");
        // two workers each, and leases that outlast the outage, so that only the fence could turn runs away
        one = SharedStoreInstances.start(
                schema,
                "node-one",
                "gobstopper.tasks.workers=2",
                "gobstopper.tasks.postgres.lease-timeout=15s",
                "spring.datasource.url=" + proxied,
                "spring.datasource.hikari.connection-timeout=1000",
                "spring.datasource.hikari.validation-timeout=1000");
        two = SharedStoreInstances.start(
                schema,
                "node-two",
                "gobstopper.tasks.workers=2",
                "gobstopper.tasks.postgres.lease-timeout=15s",
                "gobstopper.tasks.postgres.datasource.url=" + proxied);
        httpOne = new Http(SharedStoreInstances.port(one));
        httpTwo = new Http(SharedStoreInstances.port(two));
    }

    @AfterAll
    static void stop() {
        try {
            if (proxy != null) {
                proxy.restore(); // so that the instances stop as usual
            }
            for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] {two, one}) {
                if (context != null) {
                    context.close();
                }
            }
            if (proxy != null) {
                proxy.close();
            }
        } finally {
            if (schema != null) {
                TestPostgres.dropSchema(schema);
            }
        }
    }

    @Test
    void whileTheDatabaseIsAwayRequestsAre503AtOnceHealthIsDownAndAfterItsReturnEveryAcceptedTaskSucceedsOnce()
            throws Exception {
        Map<String, String> accepted = new LinkedHashMap<>(); // id -> the key it counts its runs under
        for (int i = 0; i < 10; i++) {
            String key = "before-" + i;
            accepted.put(submit(i % 2 == 0 ? httpOne : httpTwo, "echo", key), key);
        }
        accepted.keySet().forEach(id -> awaitStatus(id, "SUCCESS"));
        String heldOne = submit(httpOne, "waitAt", "held-1");
        String heldTwo = submit(httpTwo, "waitAt", "held-2");
        accepted.put(heldOne, "held-1");
        accepted.put(heldTwo, "held-2");
        awaitStatus(heldOne, "STARTED");
        awaitStatus(heldTwo, "STARTED");

        proxy.cut();

        // the first submits meet the outage before anything noticed it, or just after: either way they are answered
        // within the pool's connection timeout
        assertRefusedAtOnce(httpTwo, "POST", "/api/tasks", DURING);
        assertRefusedAtOnce(httpOne, "POST", "/api/tasks", DURING);
        for (Http http : List.of(httpOne, httpTwo)) {
            JsonNode down = await().atMost(WAIT)
                    .until(
                            () -> tasksHealth(http),
                            health -> health.path("status").asString().equals("DOWN"));
            assertThat(down.path("details").path("reason").asString()).contains("cannot be reached");
        }
        // the runs in flight end while the database is away: their outcomes are kept until it is back
        for (ConfigurableApplicationContext context : List.of(one, two)) {
            context.getBean(TestTasks.class).gate("held-1").countDown();
            context.getBean(TestTasks.class).gate("held-2").countDown();
        }
        await().atMost(WAIT).until(() -> store(one).keptOutcomes() + store(two).keptOutcomes() == 2);
        assertABurstIsRefusedWithoutARequestThreadWaitingOnThePool(
                accepted.keySet().iterator().next());

        proxy.restore();

        for (Http http : List.of(httpOne, httpTwo)) {
            await().atMost(WAIT)
                    .until(() -> tasksHealth(http).path("status").asString().equals("UP"));
        }
        for (int i = 0; i < 4; i++) {
            String key = "after-" + i;
            accepted.put(submit(i % 2 == 0 ? httpOne : httpTwo, "echo", key), key);
        }
        accepted.keySet().forEach(id -> awaitStatus(id, "SUCCESS"));
        assertThat(task(httpOne, heldOne).path("result").asString()).isEqualTo("held-1");
        assertThat(task(httpTwo, heldTwo).path("result").asString()).isEqualTo("held-2");
        accepted.values()
                .forEach(key -> assertThat(runs(key)).as("runs of " + key).isEqualTo(1));
        assertThat(TestPostgres.count("SELECT count(*) FROM " + schema + ".tasks WHERE args::text LIKE '%during%'"))
                .as("refused submits stored nothing")
                .isZero();
        for (Http http : List.of(httpOne, httpTwo)) {
            assertThat(http.responses())
                    .filteredOn(answer -> answer.status() >= 500 && answer.status() != 503)
                    .as("server errors")
                    .isEmpty();
        }
    }

    /** Eight clients at once, on both instances, submit and read: each answer 503 at once, none from the pool. */
    private static void assertABurstIsRefusedWithoutARequestThreadWaitingOnThePool(String storedId) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Http http = new Http(SharedStoreInstances.port(i % 2 == 0 ? one : two));
                calls.add(clients.submit(() -> {
                    for (int j = 0; j < 5; j++) {
                        assertRefusedAtOnce(http, "POST", "/api/tasks", DURING);
                        assertRefusedAtOnce(http, "GET", "/api/tasks/" + storedId, null);
                        assertRefusedAtOnce(http, "GET", "/api/tasks?status=SUCCESS", null);
                    }
                    return null;
                }));
            }
            Set<String> waiting = new TreeSet<>();
            while (!calls.stream().allMatch(Future::isDone)) {
                waiting.addAll(requestThreadsWaitingOnThePool());
            }
            for (Future<?> call : calls) {
                call.get(); // its assertion failure, if any
            }
            assertThat(waiting)
                    .as("request threads seen waiting for a pooled connection")
                    .isEmpty();
        } finally {
            clients.shutdownNow();
        }
    }

    /** Web server threads whose stack is in HikariCP's getConnection now. */
    private static List<String> requestThreadsWaitingOnThePool() {
        List<String> waiting = new ArrayList<>();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread.getName().contains("-exec-")
                    && Arrays.stream(stack)
                            .anyMatch(frame -> frame.getClassName().startsWith("com.zaxxer.hikari.pool.HikariPool")
                                    && frame.getMethodName().equals("getConnection"))) {
                waiting.add(thread.getName());
            }
        });
        return waiting;
    }

    private static void assertRefusedAtOnce(Http http, String method, String path, String body) {
        long started = System.nanoTime();
        Http.Response refused = http.send(method, path, body, body == null ? null : Http.JSON);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
        assertThat(millis).as("answered in ms: " + refused).isLessThan(BOUND_MILLIS);
        assertThat(refused.contentType()).startsWith(Http.PROBLEM_JSON);
        assertThat(refused.header("Retry-After")).as(refused.toString()).isEqualTo("1");
        assertThat(refused.detail()).contains("cannot be reached").contains("try again");
        assertThat(refused.body()).doesNotContain("\tat ");
    }

    private static PostgresTaskStore store(ConfigurableApplicationContext context) {
        return (PostgresTaskStore) ((TaskEngine) context.getBean(ManagedTaskQueue.class)).store();
    }

    private static int runs(String key) {
        return one.getBean(TestTasks.class).runs(key)
                + two.getBean(TestTasks.class).runs(key);
    }

    private static String submit(Http http, String name, String arg) {
        Http.Response answer = http.post("/api/tasks", "{\"name\": \"" + name + "\", \"args\": [\"" + arg + "\"]}");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
        return answer.json().path("id").asString();
    }

    private static JsonNode task(Http http, String id) {
        Http.Response answer = http.get("/api/tasks/" + id);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json();
    }

    private static void awaitStatus(String id, String status) {
        await().atMost(WAIT)
                .until(() -> task(httpTwo, id).path("status").asString().equals(status));
    }

    private static JsonNode tasksHealth(Http http) {
        return http.get("/actuator/health").json().path("components").path("tasks");
    }
}
