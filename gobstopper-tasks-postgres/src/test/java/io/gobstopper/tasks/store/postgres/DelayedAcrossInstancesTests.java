package io.gobstopper.tasks.store.postgres;

import static io.gobstopper.tasks.engine.EngineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.engine.EngineFixture;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A delayed task submitted on one instance starts on another when it is due, not at that instance's next poll: each
 * instance reads when the soonest delayed task is due and looks for work then.
 */
class DelayedAcrossInstancesTests {

    /** Far longer than the delay, so that only the due time can explain a prompt start. */
    private static final Duration POLL = Duration.ofSeconds(20);

    private final SharedEngines cluster = new SharedEngines(POLL);

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void aDelayedTaskSubmittedOnAnInstanceWithoutWorkersStartsOnAnotherWhenDue() {
        SharedEngines.Node worker = cluster.start("worker");
        SharedEngines.Node front =
                cluster.start("front", Duration.ofSeconds(30), EngineFixture.SETTINGS.withWorkers(0));

        UUID id = front.engine()
                .submit(TaskRequest.builder("record")
                        .args("delayed")
                        .delay(Duration.ofSeconds(2))
                        .build());
        TaskInfo submitted = front.engine().get(id).orElseThrow();
        assertThat(submitted.status()).isEqualTo(TaskStatus.PENDING);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> front.engine().get(id).orElseThrow().status() == TaskStatus.SUCCESS);
        TaskInfo done = front.engine().get(id).orElseThrow();
        assertThat(worker.tasks().runs("delayed")).isEqualTo(1);
        assertThat(done.startedAt()).as("not before its due time").isAfterOrEqualTo(submitted.runAt());
        assertThat(Duration.between(submitted.runAt(), done.startedAt()))
                .as("started when due, long before the next poll")
                .isLessThan(Duration.ofSeconds(1));
    }
}
