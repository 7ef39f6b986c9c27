package io.gobstopper.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.time.Duration;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** A switched-off task system refuses every change, naming the switch, and reads as empty. */
class DisabledTaskQueueTests {

    private static final String HINT = "Set gobstopper.tasks.enabled=true";

    private final DisabledTaskQueue queue = new DisabledTaskQueue(HINT);

    private static void assertDisabled(ThrowingCallable call) {
        assertThatExceptionOfType(TasksDisabledException.class)
                .isThrownBy(call)
                .withMessage("The task system is switched off. " + HINT);
    }

    @Test
    void changingCallsThrowWithTheHint() {
        UUID id = UUID.randomUUID();
        assertDisabled(() -> queue.submit("anything", 1));
        assertDisabled(() -> queue.submit(TaskRequest.of("anything")));
        assertDisabled(() -> queue.submitAsync(TaskRequest.of("anything")));
        assertDisabled(() -> queue.cancel(id));
        assertDisabled(() -> queue.retry(id));
        assertDisabled(() -> queue.retryFailed(null));
        assertDisabled(() -> queue.delete(id));
        assertDisabled(() -> queue.cleanup(Duration.ofDays(1)));
        assertDisabled(() -> queue.resizeWorkers("default", 1));
        assertDisabled(() -> queue.failUnrunnable("gone"));
        assertDisabled(() -> queue.deleteUnrunnable("gone"));
        assertDisabled(() -> queue.archive(Duration.ofDays(1)));
        assertDisabled(() -> queue.export(
                TaskFilter.all(), io.gobstopper.tasks.ExportFormat.CSV, java.io.OutputStream.nullOutputStream()));
        assertThat(queue.message()).isEqualTo("The task system is switched off. " + HINT);
    }

    @Test
    void readsAnswerNothing() {
        assertThat(queue.isEnabled()).isFalse();
        assertThat(queue.get(UUID.randomUUID())).isEmpty();
        assertThat(queue.list(TaskFilter.all().page(10, 20))).satisfies(page -> {
            assertThat(page.tasks()).isEmpty();
            assertThat(page.total()).isZero();
            assertThat(page.limit()).isEqualTo(10);
            assertThat(page.offset()).isEqualTo(20);
        });
        assertThat(queue.stats().total()).isZero();
        assertThat(queue.stats().queues()).isEmpty();
        assertThat(queue.stats().unrunnable()).isEmpty();
        assertThat(queue.unrunnable()).isEmpty();
        assertThat(queue.queues()).isEmpty();
        assertThat(queue.recentFailures(10)).isEmpty();
        assertThat(queue.registeredTasks()).isEmpty();
        assertThat(queue.describe("anything")).isEmpty();
        assertThat(queue.health().healthy()).isTrue();
        assertThat(queue.analytics(Duration.ofHours(1), io.gobstopper.tasks.TaskAnalytics.GroupBy.CATEGORY, true))
                .isEqualTo(io.gobstopper.tasks.TaskAnalytics.empty(
                        Duration.ofHours(1), io.gobstopper.tasks.TaskAnalytics.GroupBy.CATEGORY));
    }
}
