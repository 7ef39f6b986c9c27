package io.gobstopper.tasks.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three instances in their own JVMs on one schema; one is killed with SIGKILL while it runs tasks. The others take
 * its tasks over once its lease expires, every task ends SUCCESS, and only the tasks it held ran twice.
 */
class ClusterKillTests {

    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final int TASKS = 240;
    private static final String VICTIM = "node-2";

    private final ChildCluster cluster = new ChildCluster(LEASE, POLL);

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void theTasksOfAKilledInstanceAreTakenOverWithinTheLeaseAndOnlyTheyRunTwice() throws Exception {
        cluster.start(4, "node-1", VICTIM, "node-3");
        Random random = new Random(42);
        int[] millis = random.ints(TASKS, 200, 501).toArray();
        List<UUID> ids = cluster.submit(TASKS, i -> millis[i]);
        String tasks = cluster.database.schema() + ".tasks";
        String runs = cluster.database.schema() + ".runs";

        // the victim is in the middle of runs: tasks it claimed whose bodies have begun
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> cluster.jdbc.queryForObject(
                                        "SELECT count(*) FROM " + tasks + " t WHERE t.status = 'STARTED' AND "
                                                + "t.node_id = ? AND EXISTS (SELECT 1 FROM " + runs
                                                + " r WHERE r.task_id = t.id AND r.node = "
                                                + "t.node_id)",
                                        Long.class,
                                        VICTIM)
                                >= 2
                        && cluster.jdbc.queryForObject("SELECT count(*) FROM " + runs, Long.class) >= 30);
        long killedAt = System.nanoTime();
        cluster.child(VICTIM).kill();

        // what it held when it died: its rows stay so until its lease expires
        Set<UUID> held = new HashSet<>(cluster.jdbc.queryForList(
                "SELECT id FROM " + tasks + " WHERE status = " + "'STARTED' AND node_id = ?", UUID.class, VICTIM));
        assertThat(held).as("tasks the victim held at the kill").isNotEmpty();

        Duration limit = LEASE.plusSeconds(2);
        Duration left = limit.minusNanos(System.nanoTime() - killedAt);
        Awaitility.await("every task the victim held runs again on another instance within " + limit + " of the kill")
                .atMost(left)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> cluster.jdbc.queryForObject(
                                "SELECT count(DISTINCT task_id) FROM " + runs + " WHERE node "
                                        + "<> ? AND task_id = ANY(?)",
                                Long.class,
                                VICTIM,
                                held.toArray(UUID[]::new))
                        == held.size());
        double takeover = (System.nanoTime() - killedAt) / 1e9;

        Awaitility.await()
                .atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> cluster.count("SUCCESS") == TASKS);

        Map<UUID, Integer> retries = new HashMap<>();
        cluster.jdbc.query("SELECT id, status, retry_count FROM " + tasks, rs -> {
            assertThat(rs.getString(2)).isEqualTo("SUCCESS");
            retries.put(rs.getObject(1, UUID.class), rs.getInt(3));
        });
        assertThat(retries.keySet()).isEqualTo(new HashSet<>(ids));

        Map<UUID, List<ChildCluster.Run>> byTask = cluster.runs().stream()
                .collect(Collectors.groupingBy(ChildCluster.Run::taskId)); // each list in the order the runs began
        assertThat(byTask.keySet()).as("tasks with a run: none lost").isEqualTo(new HashSet<>(ids));
        Set<UUID> twice = new HashSet<>();
        byTask.forEach((id, taskRuns) -> {
            assertThat(taskRuns).as("runs of %s", id).hasSizeBetween(1, 2);
            if (taskRuns.size() == 2) {
                twice.add(id);
                assertThat(taskRuns.get(0).node())
                        .as("first run of %s, which ran twice", id)
                        .isEqualTo(VICTIM);
                assertThat(taskRuns.get(1).node()).as("second run of %s", id).isNotEqualTo(VICTIM);
            }
        });
        assertThat(held).as("tasks that ran twice were in flight on the victim").containsAll(twice);
        for (UUID id : held) {
            List<ChildCluster.Run> taskRuns = byTask.get(id);
            assertThat(taskRuns.get(taskRuns.size() - 1).node())
                    .as("last run of held task %s", id)
                    .isNotEqualTo(VICTIM);
            assertThat(retries.get(id))
                    .as("attempts counted for held task %s", id)
                    .isEqualTo(1);
        }
        // a held task whose body had begun on the victim is one that ran twice
        assertThat(twice)
                .isEqualTo(held.stream()
                        .filter(id -> byTask.get(id).get(0).node().equals(VICTIM))
                        .collect(Collectors.toSet()));
        assertThat(twice).as("tasks that ran twice").isNotEmpty();
        retries.forEach((id, count) -> {
            if (!held.contains(id)) {
                assertThat(count)
                        .as("retries of %s, not held by the victim", id)
                        .isZero();
            }
        });
        System.out.printf(
                "victim held %d tasks at the kill (%d had begun); all ran again elsewhere %.2f s after the "
                        + "kill (limit %s)%n",
                held.size(), twice.size(), takeover, limit);
    }
}
