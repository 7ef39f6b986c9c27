package io.gobstopper.tasks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Priority aging: a waiting task gains a level per aging interval, so LOW work is not starved by HIGH work. */
public interface PriorityAgingContract extends EngineContract {

    @Test
    default void aLowTaskUnderAContinuousHighLoadStartsWithinTheAgingBound() throws Exception {
        FlowTasks flow = new FlowTasks();
        Duration aging = Duration.ofMillis(150);
        TaskEngineSettings settings = EngineFixture.SETTINGS
                .withPriorityAging(aging)
                .withCategory("aging", new TaskEngineSettings.CategorySettings(1, null));
        AtomicBoolean flooding = new AtomicBoolean(true);
        try (EngineFixture fixture = EngineFixture.start(storage(), settings, flow)) {
            Thread flood = flood(fixture, flooding);
            EngineFixture.await()
                    .until(() -> fixture.engine().queues().get("aging").queued() >= 10);

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
    default void withoutAgingALowTaskWaitsWhileHighWorkKeepsComing() throws Exception {
        FlowTasks flow = new FlowTasks();
        TaskEngineSettings settings = EngineFixture.SETTINGS
                .withPriorityAging(Duration.ZERO)
                .withCategory("aging", new TaskEngineSettings.CategorySettings(1, null));
        AtomicBoolean flooding = new AtomicBoolean(true);
        try (EngineFixture fixture = EngineFixture.start(storage(), settings, flow)) {
            Thread flood = flood(fixture, flooding);
            EngineFixture.await()
                    .until(() -> fixture.engine().queues().get("aging").queued() >= 10);
            UUID low = fixture.engine().submit("humble", "low");

            org.awaitility.Awaitility.await()
                    .during(Duration.ofSeconds(1))
                    .atMost(Duration.ofSeconds(2))
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
