package io.gobstopper.tasks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskStatus;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** close() lets running tasks finish within the shutdown timeout and hands the rest to the next start. */
public interface GracefulShutdownContract extends EngineContract {

    @Test
    default void aTaskRunningAtCloseCompletesAndIsNotRunAgainAfterARestart() throws Exception {
        try (EngineFixture fixture = EngineFixture.start(storage(), EngineFixture.SETTINGS.withWorkers(1))) {
            TaskEngine engine = fixture.engine();
            UUID finishing = engine.submit("block", "finishing");
            fixture.tasks().awaitStarted("finishing");
            UUID queued = engine.submit("record", "queued");

            CompletableFuture<Void> closing = CompletableFuture.runAsync(engine::close);
            EngineFixture.await().until(() -> !engine.health().healthy()); // close() has begun
            assertThat(closing).isNotDone();
            fixture.tasks().release("finishing");
            closing.get(10, TimeUnit.SECONDS);

            TaskEngine next = fixture.restart(EngineFixture.SETTINGS.withWorkers(1));
            fixture.awaitStatus(queued, TaskStatus.SUCCESS);

            TaskInfo finished = next.get(finishing).orElseThrow();
            assertThat(finished.status()).isEqualTo(TaskStatus.SUCCESS);
            assertThat(finished.result()).isEqualTo("\"finishing\"");
            assertThat(finished.retryCount()).isZero();
            assertThat(fixture.tasks().runs("finishing")).isEqualTo(1);
            assertThat(fixture.tasks().runs("queued")).isEqualTo(1);
        }
    }

    @Test
    default void aTaskStillRunningAtTheTimeoutIsInterruptedLeftPendingAndRunsAtTheNextStart() throws Exception {
        Duration timeout = Duration.ofMillis(300);
        try (EngineFixture fixture =
                EngineFixture.start(storage(), EngineFixture.SETTINGS.withShutdownTimeout(timeout))) {
            TaskEngine engine = fixture.engine();
            UUID stuck = engine.submit("progress", "stuck");
            fixture.tasks().awaitStarted("stuck");

            long began = System.nanoTime();
            engine.close();
            Duration took = Duration.ofNanos(System.nanoTime() - began);

            assertThat(took).isGreaterThanOrEqualTo(timeout).isLessThan(timeout.plusSeconds(3));
            List<TaskInfo> unfinished = fixture.storedUnfinished();
            assertThat(unfinished).singleElement().satisfies(info -> {
                assertThat(info.id()).isEqualTo(stuck);
                assertThat(info.status()).isEqualTo(TaskStatus.PENDING);
                assertThat(info.retryCount()).isZero();
                assertThat(info.startedAt()).isNull();
                assertThat(info.progress()).isZero();
                assertThat(info.error()).isNull();
            });

            fixture.tasks().release("stuck");
            fixture.restart(EngineFixture.SETTINGS);

            TaskInfo done = fixture.awaitStatus(stuck, TaskStatus.SUCCESS);
            assertThat(done.retryCount()).isZero();
            assertThat(fixture.tasks().runs("stuck")).isEqualTo(2);
        }
    }
}
