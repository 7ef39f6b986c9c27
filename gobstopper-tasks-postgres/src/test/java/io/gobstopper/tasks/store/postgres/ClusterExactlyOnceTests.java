package io.gobstopper.tasks.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three instances, each in its own JVM with 4 workers, on one PostgreSQL schema: 5,000 tasks submitted from a fourth
 * engine (no workers) run exactly once each, as the run log shows, and all three instances take part.
 */
class ClusterExactlyOnceTests {

    private static final int TASKS = 5_000;
    private static final List<String> NODES = List.of("node-1", "node-2", "node-3");

    private final ChildCluster cluster = new ChildCluster(Duration.ofSeconds(10), Duration.ofMillis(200));

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void threeInstancesRunFiveThousandTasksExactlyOnceBetweenThem() throws Exception {
        cluster.start(4, NODES.toArray(String[]::new));

        long begin = System.nanoTime();
        List<UUID> ids = cluster.submit(TASKS, i -> 0);
        Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> cluster.count("SUCCESS") == TASKS);
        double seconds = (System.nanoTime() - begin) / 1e9;

        List<ChildCluster.Run> runs = cluster.runs();
        Map<UUID, List<ChildCluster.Run>> byTask =
                runs.stream().collect(Collectors.groupingBy(ChildCluster.Run::taskId));
        assertThat(new HashSet<>(ids)).as("distinct ids submitted").hasSize(TASKS);
        assertThat(byTask.keySet()).as("tasks with a run").isEqualTo(new HashSet<>(ids));
        assertThat(byTask.values())
                .as("runs per task")
                .allSatisfy(taskRuns -> assertThat(taskRuns).hasSize(1));
        assertThat(runs).hasSize(TASKS);
        for (int i = 0; i < TASKS; i++) {
            assertThat(byTask.get(ids.get(i)).get(0).key()).isEqualTo("t" + i);
        }

        // the store agrees: every task SUCCESS on the first attempt, on the instance whose run the log shows
        Map<UUID, String> storedNode = new HashMap<>();
        cluster.jdbc.query(
                "SELECT id, status, retry_count, node_id FROM " + cluster.database.schema() + ".tasks", rs -> {
                    assertThat(rs.getString(2)).isEqualTo("SUCCESS");
                    assertThat(rs.getInt(3)).isZero();
                    storedNode.put(rs.getObject(1, UUID.class), rs.getString(4));
                });
        assertThat(storedNode).hasSize(TASKS);
        byTask.forEach((id, taskRuns) -> assertThat(storedNode.get(id))
                .as("node of " + id)
                .isEqualTo(taskRuns.get(0).node()));

        Map<String, Long> perNode = new TreeMap<>(
                runs.stream().collect(Collectors.groupingBy(ChildCluster.Run::node, Collectors.counting())));
        System.out.printf("%,d tasks on 3 instances in %.1f s; runs per instance: %s%n", TASKS, seconds, perNode);
        assertThat(perNode.keySet()).as("instances that ran tasks").containsExactlyElementsOf(NODES);
        assertThat(perNode.values())
                .as("each instance ran a share (of %s)", perNode)
                .allSatisfy(count -> assertThat(count).isGreaterThanOrEqualTo(TASKS / 20));
    }
}
