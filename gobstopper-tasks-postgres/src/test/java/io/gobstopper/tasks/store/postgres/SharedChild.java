package io.gobstopper.tasks.store.postgres;

import io.gobstopper.tasks.GobstopperTasks;
import io.gobstopper.tasks.engine.TaskEngine;
import io.gobstopper.tasks.engine.TaskEngineSettings;
import io.gobstopper.tasks.engine.TaskRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.databind.json.JsonMapper;

/**
 * One instance of an application in a child JVM, for the cluster tests ({@link ChildCluster}): an engine on a
 * {@link PostgresTaskStore} in an existing schema, with {@link RunLog} registered. Arguments: {@code <schema> <node id>
 * <workers> <lease ms> <poll ms>}. It sends {@code @@ready <node id>} once started; on the line {@code stop} it closes
 * the engine gracefully, sends {@code @@closed} and exits 0. If the parent goes away (end of input), it exits 3.
 */
public final class SharedChild {

    private SharedChild() {}

    private static void send(String message) {
        System.out.println("@@" + message);
        System.out.flush();
    }

    public static void main(String[] args) throws Exception {
        String schema = args[0];
        String nodeId = args[1];
        int workers = Integer.parseInt(args[2]);
        Duration lease = Duration.ofMillis(Long.parseLong(args[3]));
        Duration poll = Duration.ofMillis(Long.parseLong(args[4]));
        // workers, the listener, the lease keeper and the claimer each hold a connection at times
        PostgresDatabase database = PostgresDatabase.of(schema, workers + 4);
        JsonMapper mapper = JsonMapper.builder().build();
        TaskRegistry registry = new TaskRegistry(mapper);
        registry.registerAnnotated(new RunLog(database.dataSource(), schema, nodeId));
        TaskEngine engine = (TaskEngine) GobstopperTasks.builder()
                .registry(registry)
                .store(new PostgresTaskStore(database.dataSource(), schema, nodeId, lease, poll))
                .settings(TaskEngineSettings.DEFAULTS.withWorkers(workers).withShutdownTimeout(Duration.ofSeconds(10)))
                .mapper(mapper)
                .build();
        engine.start();
        send("ready " + nodeId);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals("stop")) {
                engine.close();
                database.close();
                send("closed");
                System.exit(0);
            }
        }
        System.exit(3); // the parent went away
    }
}
