package io.gobstopper.tasks.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskQueueUnavailableException;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TaskStatus;
import java.time.Duration;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The engine takes work only between start() and close(). */
public interface EngineLifecycleContract extends EngineContract {

    private static void assertUnavailable(ThrowingCallable call, String why) {
        assertThatExceptionOfType(TaskQueueUnavailableException.class)
                .isThrownBy(call)
                .withMessageContaining(why);
    }

    private static void assertEveryCallUnavailable(TaskEngine engine, String why) {
        UUID id = UUID.randomUUID();
        assertUnavailable(() -> engine.submit("record", "x"), why);
        assertUnavailable(() -> engine.submitAsync(TaskRequest.of("record", "x")), why);
        assertUnavailable(() -> engine.get(id), why);
        assertUnavailable(() -> engine.list(TaskFilter.all()), why);
        assertUnavailable(() -> engine.cancel(id), why);
        assertUnavailable(() -> engine.retry(id), why);
        assertUnavailable(() -> engine.retryFailed(null), why);
        assertUnavailable(() -> engine.delete(id), why);
        assertUnavailable(() -> engine.cleanup(Duration.ofDays(1)), why);
        assertUnavailable(engine::stats, why);
        assertUnavailable(() -> engine.recentFailures(5), why);
        assertUnavailable(() -> engine.resizeWorkers("default", 1), why);
    }

    @Test
    default void callsBeforeStartAreRefused() {
        try (EngineFixture fixture = EngineFixture.unstarted(storage())) {
            assertEveryCallUnavailable(fixture.engine(), "has not started yet");
            assertThat(fixture.engine().health().healthy()).isFalse();
        }
    }

    @Test
    default void callsAfterCloseAreRefused() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            UUID id = fixture.engine().submit("record", "x");
            fixture.awaitStatus(id, TaskStatus.SUCCESS);

            fixture.engine().close();

            assertEveryCallUnavailable(fixture.engine(), "shutting down");
            assertThat(fixture.engine().health().healthy()).isFalse();
            fixture.engine().close(); // a second close is harmless
        }
    }

    @Test
    default void anEngineStartsOnce() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            assertThatIllegalStateException().isThrownBy(() -> fixture.engine().start());
            assertThat(fixture.engine().health().healthy()).isTrue();
            assertThat(fixture.engine().isEnabled()).isTrue();
        }
    }
}
