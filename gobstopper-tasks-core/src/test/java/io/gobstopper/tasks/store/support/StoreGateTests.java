package io.gobstopper.tasks.store.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gobstopper.tasks.TaskStoreUnavailableException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StoreGateTests {

    private final AtomicBoolean answers = new AtomicBoolean(false);
    private final AtomicInteger probes = new AtomicInteger();
    private final StoreGate gate = new StoreGate(
            "the test store",
            failure -> failure instanceof Lost || failure.getCause() instanceof Lost,
            () -> {
                probes.incrementAndGet();
                if (!answers.get()) {
                    throw new IllegalStateException("still away");
                }
            },
            Duration.ofMillis(20),
            Duration.ofSeconds(3));

    @AfterEach
    void close() {
        gate.close();
    }

    /** What the test store's connection loss looks like. */
    private static final class Lost extends RuntimeException {
        Lost(String message) {
            super(message);
        }
    }

    private static RuntimeException wrapped(Throwable cause) {
        return new RuntimeException("the store failed", cause);
    }

    @Test
    void anotherFailureLeavesTheGateOpen() {
        assertThat(gate.failed(wrapped(new IllegalStateException("syntax error"))))
                .isNull();

        assertThat(gate.available()).isTrue();
        gate.check();
        assertThat(gate.problem()).isNull();
    }

    @Test
    void aLostConnectionRefusesRequestsAtOnceSayingWhyAndWhenToTryAgainUntilAProbeFindsTheStoreBack() {
        TaskStoreUnavailableException refusal = gate.failed(wrapped(new Lost("Connection refused")));

        assertThat(refusal).isNotNull();
        assertThat(refusal.retryAfter()).isEqualTo(Duration.ofSeconds(3));
        assertThat(gate.available()).isFalse();
        assertThatThrownBy(gate::check)
                .isInstanceOf(TaskStoreUnavailableException.class)
                .hasMessageContaining("The test store cannot be reached (since ")
                .hasMessageContaining("Connection refused")
                .hasMessageContaining("try again in 3 s");
        assertThat(gate.problem()).contains("Connection refused");
        await().atMost(Duration.ofSeconds(5)).until(() -> probes.get() >= 2);
        assertThat(gate.available()).as("probes that fail keep it closed").isFalse();

        answers.set(true);

        await().atMost(Duration.ofSeconds(5)).until(gate::available);
        gate.check();
        assertThat(gate.problem()).isNull();
    }

    @Test
    void whatWaitsForTheReturnRunsOnceTheStoreIsBackAndAtOnceWhileItIsAvailable() {
        AtomicInteger ran = new AtomicInteger();
        gate.whenAvailable(ran::incrementAndGet);
        assertThat(ran).hasValue(1);

        gate.failed(new Lost("closed"));
        gate.whenAvailable(ran::incrementAndGet);
        gate.whenAvailable(ran::incrementAndGet);
        assertThat(gate.waiting()).isEqualTo(2);
        assertThat(ran).hasValue(1);

        answers.set(true);

        await().atMost(Duration.ofSeconds(5)).until(() -> ran.get() == 3);
        assertThat(gate.waiting()).isZero();
    }

    @Test
    void onceClosedNothingWaitsAndNothingRuns() {
        AtomicInteger ran = new AtomicInteger();
        gate.failed(new Lost("closed"));
        gate.whenAvailable(ran::incrementAndGet);

        gate.close();
        gate.whenAvailable(ran::incrementAndGet);

        assertThat(gate.waiting()).isZero();
        assertThat(ran).hasValue(0);
    }
}
