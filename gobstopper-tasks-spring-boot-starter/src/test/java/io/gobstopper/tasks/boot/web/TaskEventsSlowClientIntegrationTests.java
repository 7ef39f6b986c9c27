package io.gobstopper.tasks.boot.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gobstopper.tasks.boot.support.ServerTestSupport;
import io.gobstopper.tasks.boot.support.SseClient;
import io.gobstopper.tasks.boot.testapp.TasksTestApplication;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;

/**
 * A client that never reads is dropped once its buffer is full, without slowing the engine, while a client that
 * reads goes on getting its events.
 */
@SpringBootTest(
        classes = TasksTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "gobstopper.tasks.enabled=true",
            "gobstopper.tasks.shutdown-timeout=5s",
            "gobstopper.tasks.web.events.buffer-size=200"
        })
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class TaskEventsSlowClientIntegrationTests extends ServerTestSupport {

    private static final int TASKS = 5000;

    @Autowired
    TaskEventBroadcaster broadcaster;

    @Test
    void aClientThatNeverReadsHoldsUpNeitherTheEngineNorOtherClientsAndABurstEndsInAResync(CapturedOutput output)
            throws IOException {
        try (Socket stalled = new Socket();
                SseClient fast = SseClient.connect(port, API + "/events?category=default");
                SseClient watcher = SseClient.connect(port, API + "/events")) {
            // a tiny receive window, and never a read: the server's writes to it block soon
            stalled.setReceiveBufferSize(1024);
            stalled.connect(new InetSocketAddress("localhost", port));
            OutputStream request = stalled.getOutputStream();
            request.write(("GET " + API + "/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
                            + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            request.flush();
            await().atMost(WAIT).until(() -> broadcaster.clientCount() == 3);

            StringBuilder batch = new StringBuilder("{\"tasks\": [");
            for (int i = 0; i < 1000; i++) {
                batch.append(i == 0 ? "" : ",")
                        .append("{\"name\": \"add\", \"args\": [")
                        .append(i)
                        .append(", 1]}");
            }
            batch.append("]}");
            for (int i = 0; i < TASKS / 1000; i++) {
                assertThat(http.post(API + "/batch", batch.toString()).status()).isEqualTo(202);
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> http.get(API + "/stats")
                                    .json()
                                    .path("byStatus")
                                    .path("SUCCESS")
                                    .asLong()
                            >= TASKS);
            // once the burst is over the reading client gets every event again (a probe that ends in the second in
            // which the burst spent the client's share is skipped and announced by a resync: then try another)
            await().atMost(WAIT).until(() -> {
                String probe = submitId("{\"name\": \"echo\", \"args\": [\"still here\"]}");
                try {
                    fast.await(
                            event -> event.name().equals("succeeded")
                                    && event.data().contains(probe),
                            Duration.ofMillis(2500));
                    return true;
                } catch (ConditionTimeoutException skipped) {
                    return false;
                }
            });
            assertThat(fast.ended()).isFalse();
            // the watcher of every task had more than its allowance per second: it is told to read the state again,
            // and stays connected
            watcher.await(event -> event.name().equals("resync") && event.data().contains("skipped"), WAIT);
            assertThat(watcher.ended()).isFalse();
            assertThat(watcher.taskEvents().size())
                    .as("task events it got, of about " + 4 * TASKS)
                    .isLessThan(4 * TASKS);
            assertThat(broadcaster.clientCount()).isEqualTo(3);
            assertThat(output).doesNotContain("ERROR");
        }
    }
}
