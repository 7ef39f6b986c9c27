package io.gobstopper.tasks.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.gobstopper.tasks.BatchItemException;
import io.gobstopper.tasks.QueueFullException;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TaskStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowControlTests {

    @TempDir
    Path dir;

    private final FlowTasks flow = new FlowTasks();

    @Test
    void pastItsQueueCapacityACategoryRefusesNewTasksAndLosesNoneItAccepted() {
        TaskEngineSettings settings = EngineFixture.SETTINGS
                .withCategory("bounded", new TaskEngineSettings.CategorySettings(1, null, 20, null));
        try (EngineFixture fixture = EngineFixture.start(dir, settings)) {
            List<UUID> accepted = new ArrayList<>();
            accepted.add(fixture.submitIn("bounded", "block", "first"));
            fixture.tasks().awaitStarted("first");
            for (int i = 1; i < 20; i++) {
                accepted.add(fixture.submitIn("bounded", "record", "r" + i));
            }

            assertThatExceptionOfType(QueueFullException.class)
                    .isThrownBy(() -> fixture.submitIn("bounded", "record", "r20"))
                    .withMessageContaining("'bounded'").withMessageContaining("20")
                    .withMessageContaining("gobstopper.tasks.categories.bounded.queue-capacity")
                    .satisfies(ex -> assertThat(ex.retryAfter()).isPositive());
            assertThatExceptionOfType(BatchItemException.class).as("a batch counts too")
                    .isThrownBy(() -> fixture.engine().submitAll(List.of(
                            TaskRequest.builder("record").args("b").category("bounded").build())))
                    .satisfies(ex -> assertThat(ex.reason()).isInstanceOf(QueueFullException.class));
            fixture.submitIn("other", "record", "elsewhere"); // other categories are not bounded by it

            fixture.tasks().release("first");
            accepted.forEach(id -> fixture.awaitStatus(id, TaskStatus.SUCCESS));
            assertThat(fixture.tasks().runs("r20")).isZero();
            UUID roomAgain = fixture.submitIn("bounded", "record", "again");
            fixture.awaitStatus(roomAgain, TaskStatus.SUCCESS);
        }
    }

    @Test
    void aRateLimitSpacesOutStarts() {
        TaskEngineSettings settings = EngineFixture.SETTINGS
                .withCategory("flow", new TaskEngineSettings.CategorySettings(4, null, null, RateLimit.parse("10/1s")));
        try (EngineFixture fixture = EngineFixture.start(dir, settings, flow)) {
            Instant begin = Instant.now();
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                ids.add(fixture.engine().submit("mark", "m" + i));
            }
            ids.forEach(id -> fixture.awaitStatus(id, TaskStatus.SUCCESS));

            Instant lastStart = Instant.MIN;
            for (int i = 0; i < 50; i++) {
                Instant started = flow.startedAt("m" + i);
                lastStart = started.isAfter(lastStart) ? started : lastStart;
            }
            // a burst of 10, then one every 100 ms: the 50th starts 4 s in
            assertThat(Duration.between(begin, lastStart)).isGreaterThanOrEqualTo(Duration.ofMillis(3900));
        }
    }

    @Test
    void aLowTaskUnderAContinuousHighLoadStartsWithinTheAgingBound() throws Exception {
        Duration aging = Duration.ofMillis(150);
        TaskEngineSettings settings = EngineFixture.SETTINGS.withPriorityAging(aging)
                .withCategory("aging", new TaskEngineSettings.CategorySettings(1, null));
        AtomicBoolean flooding = new AtomicBoolean(true);
        try (EngineFixture fixture = EngineFixture.start(dir, settings, flow)) {
            Thread flood = flood(fixture, flooding);
            EngineFixture.await().until(() -> fixture.engine().queues().get("aging").queued() >= 10);

            Instant submitted = Instant.now();
            UUID low = fixture.engine().submit("humble", "low");
            fixture.awaitStatus(low, TaskStatus.SUCCESS);
            flooding.set(false);
            flood.join();

            // two levels (LOW to HIGH) of aging, then one running HIGH task to wait out, plus scheduling slack
            Duration bound = aging.multipliedBy(2).plusMillis(20).plusMillis(500);
            assertThat(Duration.between(submitted, flow.startedAt("low"))).isLessThan(bound);
        }
    }

    @Test
    void withoutAgingALowTaskWaitsWhileHighWorkKeepsComing() throws Exception {
        TaskEngineSettings settings = EngineFixture.SETTINGS.withPriorityAging(Duration.ZERO)
                .withCategory("aging", new TaskEngineSettings.CategorySettings(1, null));
        AtomicBoolean flooding = new AtomicBoolean(true);
        try (EngineFixture fixture = EngineFixture.start(dir, settings, flow)) {
            Thread flood = flood(fixture, flooding);
            EngineFixture.await().until(() -> fixture.engine().queues().get("aging").queued() >= 10);
            UUID low = fixture.engine().submit("humble", "low");

            org.awaitility.Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                    .until(() -> !flow.hasStarted("low"));
            flooding.set(false);
            flood.join();
            fixture.awaitStatus(low, TaskStatus.SUCCESS);
        }
    }

    /** Keeps about 20 HIGH tasks waiting in category {@code aging} until {@code flooding} turns false. */
    private static Thread flood(EngineFixture fixture, AtomicBoolean flooding) {
        Thread flood = new Thread(() -> {
            int n = 0;
            while (flooding.get()) {
                if (fixture.engine().queues().get("aging").queued() < 20) {
                    fixture.engine().submit("busy", "h" + n++);
                } else {
                    Thread.onSpinWait();
                }
            }
        });
        flood.start();
        return flood;
    }
}
