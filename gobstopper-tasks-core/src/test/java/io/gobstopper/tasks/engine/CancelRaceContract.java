package io.gobstopper.tasks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskStateException;
import io.gobstopper.tasks.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Cancel racing a worker's start: exactly one of them wins, and the store agrees with the winner. */
public interface CancelRaceContract extends EngineContract {

    static final int ROUNDS = 300;

    /** Busy-waits: varies which side of the race arrives first. Correctness never depends on it. */
    private static void spin(long nanos) {
        long until = System.nanoTime() + nanos;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    @Test
    default void cancelRacingAStartHasExactlyOneWinner() throws Exception {
        ExecutorService canceller = Executors.newSingleThreadExecutor();
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            TaskEngine engine = fixture.engine();
            List<UUID> ids = new ArrayList<>();
            List<Boolean> cancelled = new ArrayList<>();
            List<Boolean> stopped = new ArrayList<>();
            CyclicBarrier go = new CyclicBarrier(2);
            for (int round = 0; round < ROUNDS; round++) {
                engine.resizeWorkers("race", 0);
                UUID id = fixture.submitIn("race", "record", "r" + round);
                long jitterNanos = (round * 7919L % 2000) * 1_000; // 0-2 ms, so both sides get to win sometimes
                // CANCELLED: cancelled before it started; STARTED: asked to stop while it ran (it ends CANCELLED);
                // null: it had already succeeded
                Future<TaskStatus> cancel = canceller.submit(() -> {
                    go.await(10, TimeUnit.SECONDS);
                    spin(jitterNanos);
                    try {
                        return engine.cancel(id).status();
                    } catch (TaskStateException lost) {
                        return null;
                    }
                });
                go.await(10, TimeUnit.SECONDS);
                engine.resizeWorkers("race", 1);
                TaskStatus answer = cancel.get(10, TimeUnit.SECONDS);
                ids.add(id);
                cancelled.add(answer == TaskStatus.CANCELLED);
                stopped.add(answer == TaskStatus.STARTED);
                fixture.awaitStatus(id, answer == null ? TaskStatus.SUCCESS : TaskStatus.CANCELLED);
            }
            // a last task through the same single worker: anything queued before it has had its chance to run
            UUID last = fixture.submitIn("race", "record", "last");
            fixture.awaitStatus(last, TaskStatus.SUCCESS);

            Map<UUID, TaskInfo> stored = engine.list(new TaskFilter("race", null, null, 1000, 0)).tasks().stream()
                    .collect(Collectors.toMap(TaskInfo::id, Function.identity()));
            for (int round = 0; round < ROUNDS; round++) {
                UUID id = ids.get(round);
                boolean ran = fixture.tasks().runs("r" + round) > 0;
                assertThat(ran).as("round %d: ran XOR cancelled", round).isNotEqualTo(cancelled.get(round));
                assertThat(fixture.tasks().runs("r" + round))
                        .as("round %d: runs", round)
                        .isLessThanOrEqualTo(1);
                assertThat(stored.get(id).status())
                        .as("round %d: stored status", round)
                        .isEqualTo(ran && !stopped.get(round) ? TaskStatus.SUCCESS : TaskStatus.CANCELLED);
            }
            long wins = cancelled.stream().filter(Boolean::booleanValue).count();
            System.out.printf("cancel won %d of %d rounds%n", wins, ROUNDS);
        } finally {
            canceller.shutdownNow();
        }
    }
}
