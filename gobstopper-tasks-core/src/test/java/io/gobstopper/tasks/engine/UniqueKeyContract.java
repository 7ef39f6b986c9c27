package io.gobstopper.tasks.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.gobstopper.tasks.Submission;
import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TaskStateException;
import io.gobstopper.tasks.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

public interface UniqueKeyContract extends EngineContract {

    private static TaskRequest keyed(String name, String arg, String key) {
        return TaskRequest.builder(name).args(arg).uniqueKey(key).build();
    }

    @Test
    default void manyConcurrentSubmitsWithOneKeyYieldExactlyOneTask() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            for (int round = 0; round < 20; round++) {
                String key = "report-" + round;
                CountDownLatch go = new CountDownLatch(1);
                Set<UUID> ids = ConcurrentHashMap.newKeySet();
                List<Future<Submission>> submits = new ArrayList<>();
                for (int t = 0; t < 16; t++) {
                    String label = key + "-" + t;
                    submits.add(threads.submit(() -> {
                        go.await();
                        return fixture.engine().offer(keyed("block", label, key));
                    }));
                }
                go.countDown();
                int created = 0;
                for (Future<Submission> submit : submits) {
                    Submission submission = submit.get(10, TimeUnit.SECONDS);
                    ids.add(submission.id());
                    created += submission.created() ? 1 : 0;
                }
                assertThat(ids).as("round %d", round).hasSize(1);
                assertThat(created).as("round %d", round).isEqualTo(1);
                fixture.tasks().releaseAll();
            }
            assertThat(fixture.engine().list(TaskFilter.all()).total()).isEqualTo(20);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    default void theKeyBindsOnlyWhileTheTaskIsUnfinished() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            Submission first = fixture.engine().offer(keyed("block", "first", "k"));
            Submission again = fixture.engine().offer(keyed("block", "again", "k"));

            assertThat(first.created()).isTrue();
            assertThat(again).isEqualTo(new Submission(first.id(), false));
            assertThat(fixture.engine().get(first.id()).orElseThrow().uniqueKey())
                    .isEqualTo("k");

            fixture.tasks().release("first");
            fixture.awaitStatus(first.id(), TaskStatus.SUCCESS);
            Submission later = fixture.engine().offer(keyed("block", "later", "k"));
            assertThat(later.created()).isTrue();
            assertThat(later.id()).isNotEqualTo(first.id());
        }
    }

    @Test
    default void theKeyIsHeldAcrossARestartAndAFailedTaskCannotBeRetriedWhileAnotherHoldsIt() {
        TaskEngineSettings paused =
                EngineFixture.SETTINGS.withCategory("later", new TaskEngineSettings.CategorySettings(0, null));
        try (EngineFixture fixture = EngineFixture.start(storage(), paused)) {
            UUID failed = fixture.engine().submit(keyed("fail_fast", "f", "nightly"));
            fixture.awaitStatus(failed, TaskStatus.FAILED);
            UUID waiting = fixture.engine()
                    .submit(TaskRequest.builder("record")
                            .args("w")
                            .category("later")
                            .uniqueKey("nightly")
                            .build());

            fixture.restart(paused);

            assertThat(fixture.engine().offer(keyed("record", "x", "nightly")))
                    .isEqualTo(new Submission(waiting, false));
            assertThatExceptionOfType(TaskStateException.class)
                    .isThrownBy(() -> fixture.engine().retry(failed))
                    .withMessageContaining("nightly")
                    .withMessageContaining(waiting.toString());
            assertThat(fixture.engine().retryFailed(null).retried())
                    .as("bulk retry skips it")
                    .isZero();
            assertThat(fixture.engine().get(failed).orElseThrow().status()).isEqualTo(TaskStatus.FAILED);
        }
    }
}
