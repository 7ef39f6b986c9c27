package io.gobstopper.tasks.boot.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.boot.support.Http;
import io.gobstopper.tasks.boot.support.ServerTestSupport;
import io.gobstopper.tasks.boot.testapp.TasksTestApplication;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

/** Fifty HTTP clients submit 10,000 tasks at once: every task is accepted once, stored once and run exactly once. */
@SpringBootTest(
        classes = {TasksTestApplication.class, ConcurrentClientsIntegrationTests.Counting.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"gobstopper.tasks.enabled=true", "gobstopper.tasks.workers=4"})
@DirtiesContext
class ConcurrentClientsIntegrationTests extends ServerTestSupport {

    static final int CLIENTS = 50;
    static final int PER_CLIENT = 200;

    /** A task that counts its runs by key. */
    @TestConfiguration
    @Import(CountingTask.class)
    static class Counting {}

    static class CountingTask {

        final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

        @BackgroundTask(name = "count", exposed = true, category = "load")
        public void count(String key) {
            runs.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        }
    }

    @Autowired
    CountingTask counting;

    @Test
    void fiftyClientsSubmittingTenThousandTasksAtOnceGetEachRunExactlyOnce() throws Exception {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        List<Http.Response> refused = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                done.add(clients.submit(() -> {
                    Http own = new Http(port);
                    for (int i = 0; i < PER_CLIENT; i++) {
                        Http.Response answer =
                                own.post(API, "{\"name\": \"count\", \"args\": [\"" + client + "-" + i + "\"]}");
                        if (answer.status() == 202) {
                            ids.add(answer.json().path("id").asString());
                        } else {
                            refused.add(answer);
                        }
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            clients.shutdownNow();
        }
        int total = CLIENTS * PER_CLIENT;
        assertThat(refused).isEmpty();
        assertThat(ids).hasSize(total);

        await().atMost(Duration.ofSeconds(120))
                .until(() -> http.get(API + "/stats")
                                .json()
                                .path("byStatus")
                                .path("SUCCESS")
                                .asLong()
                        == total);
        assertThat(counting.runs).hasSize(total);
        assertThat(counting.runs.values())
                .allSatisfy(runs -> assertThat(runs.get()).isEqualTo(1));
        assertThat(http.get(API + "/stats").json().path("total").asLong()).isEqualTo(total);
    }
}
