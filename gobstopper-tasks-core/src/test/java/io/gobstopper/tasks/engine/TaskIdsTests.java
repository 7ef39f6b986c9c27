package io.gobstopper.tasks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TaskIdsTests {

    private static long millis(UUID id) {
        return id.getMostSignificantBits() >>> 16;
    }

    @Test
    void idsAreVersionSevenUuidsCarryingTheirMillisecond() {
        UUID id = new TaskIds().next(1_700_000_000_123L);

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(millis(id)).isEqualTo(1_700_000_000_123L);
    }

    @Test
    void laterMillisecondsGiveLargerIds() {
        TaskIds ids = new TaskIds();
        UUID earlier = ids.next(1_000);
        UUID later = ids.next(1_001);

        assertThat(later).isGreaterThan(earlier);
        assertThat(later.toString()).isGreaterThan(earlier.toString());
    }

    @Test
    void manyIdsInOneMillisecondStayInOrderBorrowingTheNextMillisecond() {
        TaskIds ids = new TaskIds();
        List<UUID> made = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            made.add(ids.next(5_000));
        }

        assertThat(made).isSorted().doesNotHaveDuplicates();
        assertThat(millis(made.get(0))).isEqualTo(5_000);
        assertThat(millis(made.get(made.size() - 1))).isGreaterThan(5_000);
        UUID afterClockCaughtUp = ids.next(5_001);
        assertThat(afterClockCaughtUp).isGreaterThan(made.get(made.size() - 1));
    }

    @Test
    void aClockThatGoesBackDoesNotBreakTheOrder() {
        TaskIds ids = new TaskIds();
        UUID first = ids.next(9_000);
        UUID second = ids.next(8_000);

        assertThat(second).isGreaterThan(first);
    }

    @Test
    void idsAreUniqueAndOrderedPerThreadUnderContention() throws Exception {
        TaskIds ids = new TaskIds();
        int threads = 8;
        int perThread = 20_000;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<UUID>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<List<UUID>> maker = () -> {
                    start.await(10, TimeUnit.SECONDS);
                    List<UUID> mine = new ArrayList<>(perThread);
                    for (int i = 0; i < perThread; i++) {
                        mine.add(ids.next(System.currentTimeMillis()));
                    }
                    return mine;
                };
                results.add(pool.submit(maker));
            }
            Set<UUID> all = new HashSet<>();
            for (Future<List<UUID>> result : results) {
                List<UUID> mine = result.get(30, TimeUnit.SECONDS);
                assertThat(mine).isSorted();
                all.addAll(mine);
            }
            assertThat(all).hasSize(threads * perThread);
        } finally {
            pool.shutdownNow();
        }
    }
}
