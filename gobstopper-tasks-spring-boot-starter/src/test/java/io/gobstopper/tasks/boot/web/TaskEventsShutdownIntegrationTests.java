package io.gobstopper.tasks.boot.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gobstopper.tasks.boot.support.SseClient;
import io.gobstopper.tasks.boot.testapp.TasksTestApplication;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Shutting the application down ends open event streams first, and does not wait on them. */
@ExtendWith(OutputCaptureExtension.class)
class TaskEventsShutdownIntegrationTests {

    @TempDir
    Path dir;

    @Test
    void shutdownEndsTheStreamsAndClosesWithinSeconds(CapturedOutput output) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(TasksTestApplication.class)
                .run(
                        "--server.port=0",
                        "--gobstopper.tasks.enabled=true",
                        "--gobstopper.tasks.shutdown-timeout=5s",
                        "--gobstopper.tasks.duckdb.path=" + dir.resolve("tasks.duckdb"));
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        try (SseClient first = SseClient.connect(port, "/api/tasks/events");
                SseClient second = SseClient.connect(port, "/api/tasks/events?category=math")) {
            first.await(event -> event.name().equals("stats"), Duration.ofSeconds(10));
            second.await(event -> event.name().equals("stats"), Duration.ofSeconds(10));

            long begin = System.nanoTime();
            context.close();
            Duration took = Duration.ofNanos(System.nanoTime() - begin);

            assertThat(took).as("time to close the context").isLessThan(Duration.ofSeconds(5));
            await().atMost(Duration.ofSeconds(5)).until(() -> first.ended() && second.ended());
            assertThat(output).doesNotContain("ERROR").doesNotContain("Exception");
        } finally {
            context.close();
        }
    }
}
