package io.gobstopper.tasks.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.gobstopper.tasks.InvalidTaskArgumentsException;
import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TaskStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** submitAsync answers with a future of the id, completed once the task is stored; many share a commit. */
public interface SubmitAsyncContract extends EngineContract {

    @Test
    default void theFutureCompletesWithTheIdOnceTheTaskIsStored() throws Exception {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            fixture.engine().resizeWorkers("paused", 0);

            UUID id = fixture.engine()
                    .submitAsync(TaskRequest.builder("record")
                            .args("a")
                            .category("paused")
                            .build())
                    .get(10, TimeUnit.SECONDS);

            assertThat(fixture.engine().get(id).map(TaskInfo::status)).contains(TaskStatus.PENDING);
            fixture.engine().close();
            assertThat(fixture.storedUnfinished()).extracting(TaskInfo::id).containsExactly(id);
        }
    }

    @Test
    default void anInvalidRequestIsRefusedAtOnce() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            assertThatExceptionOfType(InvalidTaskArgumentsException.class)
                    .isThrownBy(() -> fixture.engine().submitAsync(TaskRequest.of("record")))
                    .withMessageContaining("missing argument 'label'");
            assertThat(fixture.engine().list(TaskFilter.all()).total()).isZero();
        }
    }

    @Test
    default void manyConcurrentSubmitsAllCompleteAndEveryTaskRunsExactlyOnce() throws Exception {
        int threads = 4;
        int perThread = 250;
        ExecutorService submitters = Executors.newFixedThreadPool(threads);
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<List<CompletableFuture<UUID>>>> batches = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                batches.add(submitters.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    List<CompletableFuture<UUID>> futures = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        futures.add(fixture.engine().submitAsync(TaskRequest.of("record", "t" + thread + "-" + i)));
                    }
                    return futures;
                }));
            }
            Set<UUID> ids = new HashSet<>();
            for (Future<List<CompletableFuture<UUID>>> batch : batches) {
                for (CompletableFuture<UUID> future : batch.get(30, TimeUnit.SECONDS)) {
                    ids.add(future.get(30, TimeUnit.SECONDS));
                }
            }
            assertThat(ids).hasSize(threads * perThread);

            EngineFixture.await()
                    .until(() -> fixture.engine()
                                    .list(TaskFilter.byStatus(TaskStatus.SUCCESS)
                                            .page(1, 0))
                                    .total()
                            == threads * perThread);

            assertThat(fixture.engine().list(TaskFilter.all()).total()).isEqualTo(threads * perThread);
            for (int t = 0; t < threads; t++) {
                for (int i = 0; i < perThread; i++) {
                    assertThat(fixture.tasks().runs("t" + t + "-" + i))
                            .as("runs of t%d-%d", t, i)
                            .isEqualTo(1);
                }
            }
            assertThat(fixture.tasks().order()).hasSize(threads * perThread);
        } finally {
            submitters.shutdownNow();
        }
    }
}
