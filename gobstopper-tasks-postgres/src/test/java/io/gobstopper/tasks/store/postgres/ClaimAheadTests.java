package io.gobstopper.tasks.store.postgres;

import static io.gobstopper.tasks.engine.EngineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.TaskPriority;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.engine.EngineFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Claiming ahead: an instance whose runs are short claims more tasks than it has free workers, so that one claim feeds
 * many runs; tasks it claimed ahead must not stay stuck behind a worker that got stuck in a long run.
 */
class ClaimAheadTests {

    private final SharedEngines cluster = new SharedEngines();

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void tasksClaimedAheadBehindAStuckWorkerAreGivenBackAndRunByAnotherInstance() {
        SharedEngines.Node a = cluster.start("a", Duration.ofSeconds(30), EngineFixture.SETTINGS.withWorkers(1));
        List<TaskRequest> warmUp = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            warmUp.add(TaskRequest.of("record", "warm-up-" + i));
        }
        a.engine().submitAll(warmUp);
        await().until(() -> a.tasks().order().size() == 50);

        List<TaskRequest> burst = new ArrayList<>();
        burst.add(TaskRequest.builder("block")
                .args("stuck")
                .priority(TaskPriority.HIGH)
                .build());
        for (int i = 0; i < 10; i++) {
            burst.add(TaskRequest.of("record", "after-" + i));
        }
        List<UUID> ids = a.engine().submitAll(burst);
        List<UUID> quick = ids.subList(1, ids.size());
        a.tasks().awaitStarted("stuck");
        JdbcTemplate jdbc = new JdbcTemplate(cluster.database.dataSource());
        await().untilAsserted(() -> assertThat(holders(jdbc, quick))
                .as("claimed ahead by a, whose only worker is busy")
                .containsOnlyKeys("a:STARTED"));

        SharedEngines.Node b = cluster.start("b");

        await().untilAsserted(() -> assertThat(holders(jdbc, quick)).containsOnlyKeys("b:SUCCESS"));
        for (int i = 0; i < 10; i++) {
            assertThat(b.tasks().runs("after-" + i))
                    .as("runs of after-" + i + " on b")
                    .isEqualTo(1);
            assertThat(a.tasks().runs("after-" + i))
                    .as("runs of after-" + i + " on a")
                    .isZero();
        }
        assertThat(a.engine().get(ids.get(0)).orElseThrow().status())
                .as("the stuck run still runs")
                .isEqualTo(TaskStatus.STARTED);
        a.tasks().release("stuck");
        await().until(() -> a.engine().get(ids.get(0)).orElseThrow().status() == TaskStatus.SUCCESS);
    }

    /** How many of the tasks each node holds in each status, as {@code node:STATUS}. */
    private Map<String, Long> holders(JdbcTemplate jdbc, List<UUID> ids) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        jdbc.query(
                "SELECT node_id, status, count(*) FROM " + cluster.database.schema() + ".tasks WHERE id = "
                        + "ANY(CAST(? AS UUID[])) GROUP BY node_id, status",
                rs -> {
                    counts.put(rs.getString(1) + ":" + rs.getString(2), rs.getLong(3));
                },
                PostgresRows.uuidArray(ids));
        return counts;
    }
}
