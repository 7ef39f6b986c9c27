package io.gobstopper.tasks.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TaskStatus;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Tasks that misbehave harm only themselves: an Error fails its task and the worker carries on; a run that ignores
 * its timeout's interrupt is recorded as timed out and its worker replaced; a run that never returns cannot hold up
 * shutdown past the shutdown timeout.
 */
public interface RunawayTasksContract extends EngineContract {

    /** Tasks that throw Errors or refuse to stop. */
    public static class Runaways {

        volatile boolean released;

        @BackgroundTask(name = "overflow_stack", category = "single")
        public int overflowStack(int depth) {
            return overflowStack(depth + 1) + 1;
        }

        @BackgroundTask(name = "exhaust_memory", category = "single")
        public int exhaustMemory() {
            long[] huge = new long[Integer.MAX_VALUE - 8]; // far more than any test heap: OutOfMemoryError
            return huge.length;
        }

        @BackgroundTask(name = "ignore_timeout", category = "single", timeout = "300ms")
        public String ignoreTimeout() {
            ignoreInterruptsUntilReleased();
            return "returned at last";
        }

        @BackgroundTask(name = "never_return", category = "single")
        public void neverReturn() {
            ignoreInterruptsUntilReleased();
        }

        @BackgroundTask(name = "ok", category = "single")
        public String ok() {
            return "fine";
        }

        private void ignoreInterruptsUntilReleased() {
            while (!released) {
                Thread.interrupted(); // swallow every interrupt, as badly written code does
                LockSupport.parkNanos(5_000_000);
            }
        }
    }

    private EngineFixture start(Runaways runaways, Duration shutdownTimeout) {
        return EngineFixture.start(
                storage(),
                EngineFixture.SETTINGS
                        .withShutdownTimeout(shutdownTimeout)
                        .withCategory("single", new TaskEngineSettings.CategorySettings(1, null)),
                runaways);
    }

    @Test
    default void anErrorFailsOnlyItsTaskAndTheOneWorkerCarriesOn() {
        Runaways runaways = new Runaways();
        try (EngineFixture fixture = start(runaways, Duration.ofSeconds(5))) {
            UUID stack = fixture.engine().submit("overflow_stack", 0);
            UUID memory = fixture.engine().submit("exhaust_memory");
            UUID after = fixture.engine().submit("ok");

            assertThat(fixture.awaitStatus(stack, TaskStatus.FAILED).error())
                    .startsWith("java.lang.StackOverflowError");
            assertThat(fixture.awaitStatus(memory, TaskStatus.FAILED).error()).startsWith("java.lang.OutOfMemoryError");
            assertThat(fixture.awaitStatus(after, TaskStatus.SUCCESS).result()).isEqualTo("\"fine\"");
            assertThat(fixture.engine().health().healthy()).isTrue();
        }
    }

    @Test
    default void aRunThatIgnoresItsTimeoutIsRecordedAsTimedOutAndItsWorkerIsReplaced() {
        Runaways runaways = new Runaways();
        try (EngineFixture fixture = start(runaways, Duration.ofSeconds(5))) {
            UUID stuck = fixture.engine().submit("ignore_timeout");
            UUID after = fixture.engine().submit("ok");

            TaskInfo timedOut = fixture.awaitStatus(stuck, TaskStatus.FAILED);
            assertThat(timedOut.error())
                    .contains("timed out after 0.3s and did not stop within 1s")
                    .contains("its worker thread was abandoned");
            assertThat(fixture.awaitStatus(after, TaskStatus.SUCCESS).result()).isEqualTo("\"fine\"");
            assertThat(fixture.engine().queues().get("single").workers()).isEqualTo(1);

            runaways.released = true; // the abandoned run returns at last: too late to change anything
            UUID probe = fixture.engine().submit("ok");
            fixture.awaitStatus(probe, TaskStatus.SUCCESS);
            assertThat(fixture.engine().get(stuck).orElseThrow().status()).isEqualTo(TaskStatus.FAILED);
            assertThat(fixture.engine().get(stuck).orElseThrow().result()).isNull();
        }
    }

    @Test
    default void aRunThatNeverReturnsCannotHoldUpShutdownPastTheShutdownTimeout() {
        Runaways runaways = new Runaways();
        EngineFixture fixture = start(runaways, Duration.ofMillis(500));
        try {
            UUID stuck = fixture.engine().submit(TaskRequest.of("never_return"));
            EngineFixture.await()
                    .until(() -> fixture.engine().get(stuck).orElseThrow().status() == TaskStatus.STARTED);

            assertTimeoutPreemptively(
                    Duration.ofSeconds(10), () -> fixture.engine().close());
        } finally {
            runaways.released = true;
            fixture.close();
        }
    }
}
