package io.gobstopper.tasks.store.postgres;

import io.gobstopper.tasks.ChildJvm;
import io.gobstopper.tasks.GobstopperTasks;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.engine.EngineFixture;
import io.gobstopper.tasks.engine.TaskEngine;
import io.gobstopper.tasks.engine.TaskRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Instances of an application in separate JVMs ({@link SharedChild}) on one fresh PostgreSQL schema, and in this JVM
 * an engine with no workers on the same schema that submits their work, as a web front end would. Each run of
 * {@link RunLog#TASK} leaves a row in {@code <schema>.runs}, read with {@link #jdbc}. {@link #close} stops the
 * children that still run (gracefully), closes the submitter and drops the schema.
 */
final class ChildCluster implements AutoCloseable {

    private static final Duration START = Duration.ofSeconds(60);

    final PostgresDatabase database = PostgresDatabase.create(6);
    final JdbcTemplate jdbc = new JdbcTemplate(database.dataSource());
    final TaskEngine submitter;
    private final Duration lease;
    private final Duration poll;
    private final Map<String, ChildJvm> children = new LinkedHashMap<>();

    ChildCluster(Duration lease, Duration poll) {
        this.lease = lease;
        this.poll = poll;
        JsonMapper mapper = JsonMapper.builder().build();
        TaskRegistry registry = new TaskRegistry(mapper);
        registry.registerAnnotated(new RunLog(database.dataSource(), database.schema(), "submitter"));
        submitter = (TaskEngine) GobstopperTasks.builder()
                .registry(registry)
                .store(new PostgresTaskStore(database.dataSource(), database.schema(), "submitter", lease, poll))
                .settings(EngineFixture.SETTINGS.withWorkers(0))
                .mapper(mapper)
                .build();
        submitter.start(); // creates the store's tables
        RunLog.createTable(database.dataSource(), database.schema());
    }

    /** Starts one child JVM per node id, all at once, and waits until each has started its engine. */
    void start(int workers, String... nodeIds) throws IOException, InterruptedException {
        for (String nodeId : nodeIds) {
            children.put(
                    nodeId,
                    ChildJvm.start(
                            SharedChild.class,
                            database.schema(),
                            nodeId,
                            Integer.toString(workers),
                            Long.toString(lease.toMillis()),
                            Long.toString(poll.toMillis())));
        }
        for (String nodeId : nodeIds) {
            if (!children.get(nodeId).expect("ready", START).equals(List.of(nodeId))) {
                throw new AssertionError("child " + nodeId + " reported another node id");
            }
        }
    }

    ChildJvm child(String nodeId) {
        return children.get(nodeId);
    }

    /** Submits {@code logged} tasks with keys {@code t0, t1, ...} in batches of 500; their ids in key order. */
    List<UUID> submit(int count, java.util.function.IntUnaryOperator millis) {
        List<UUID> ids = new ArrayList<>(count);
        List<TaskRequest> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.add(TaskRequest.of(RunLog.TASK, "t" + i, millis.applyAsInt(i)));
            if (batch.size() == 500 || i == count - 1) {
                ids.addAll(submitter.submitAll(batch));
                batch.clear();
            }
        }
        return ids;
    }

    /** How many tasks have this status. */
    long count(String status) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM " + database.schema() + ".tasks WHERE status = ?", Long.class, status);
    }

    /** Every logged run, in the order they began. */
    List<Run> runs() {
        return jdbc.query(
                "SELECT seq, task_id, task_key, node FROM " + database.schema() + ".runs ORDER BY seq",
                (rs, n) -> new Run(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4)));
    }

    /** One row of the run log. */
    record Run(long seq, UUID taskId, String key, String node) {}

    @Override
    public void close() {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, ChildJvm> child : children.entrySet()) {
            try (ChildJvm jvm = child.getValue()) {
                if (jvm.isAlive()) {
                    jvm.send("stop");
                    jvm.expect("closed", Duration.ofSeconds(30));
                    jvm.awaitExit(Duration.ofSeconds(30));
                }
            } catch (IOException | InterruptedException | AssertionError ex) {
                problems.add(child.getKey() + ": " + ex.getMessage());
            }
        }
        try {
            submitter.close();
        } finally {
            database.drop();
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("children did not stop cleanly: " + problems);
        }
    }
}
