package io.gobstopper.tasks.store.postgres;

import io.gobstopper.tasks.GobstopperTasks;
import io.gobstopper.tasks.engine.EngineFixture;
import io.gobstopper.tasks.engine.TaskEngine;
import io.gobstopper.tasks.engine.TaskEngineSettings;
import io.gobstopper.tasks.engine.TestTasks;
import io.gobstopper.tasks.event.TaskEvent;
import io.gobstopper.tasks.event.TaskListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Several engines in this JVM on one PostgreSQL schema, as several instances of an application would be: each has
 * its own task beans ({@link TestTasks} and any extra), its own node id, and records the events it emits (its own,
 * and those it hears from the others).
 */
final class SharedEngines implements AutoCloseable {

    static final Duration POLL = Duration.ofMillis(100);

    final PostgresDatabase database = PostgresDatabase.create();
    private final List<Node> nodes = new ArrayList<>();
    private final Duration poll;

    SharedEngines() {
        this(POLL);
    }

    /** @param poll how often the instances look for work besides being told of it */
    SharedEngines(Duration poll) {
        this.poll = poll;
    }

    /** One instance: its engine, beans and events. */
    record Node(
            String id,
            TaskEngine engine,
            TestTasks tasks,
            List<Object> beans,
            List<TaskEvent> events,
            List<TaskEvent> remoteEvents) {}

    /** Starts one more engine on the schema, whose listener wants to hear of the other instances' changes. */
    Node start(String nodeId, Duration leaseTimeout, TaskEngineSettings settings, Object... extraBeans) {
        return launch(nodeId, leaseTimeout, settings, true, extraBeans);
    }

    /** Starts one more engine on the schema, whose listener does not want the other instances' changes. */
    Node startQuiet(String nodeId, Duration leaseTimeout, TaskEngineSettings settings) {
        return launch(nodeId, leaseTimeout, settings, false);
    }

    private Node launch(
            String nodeId,
            Duration leaseTimeout,
            TaskEngineSettings settings,
            boolean wantsRemote,
            Object... extraBeans) {
        TestTasks tasks = new TestTasks();
        List<TaskEvent> events = new CopyOnWriteArrayList<>();
        List<TaskEvent> remote = new CopyOnWriteArrayList<>();
        TaskListener listener = new TaskListener() {
            @Override
            public void onEvent(TaskEvent event) {
                events.add(event);
            }

            @Override
            public void onRemoteEvent(TaskEvent event) {
                remote.add(event);
            }

            @Override
            public boolean wantsRemoteEvents() {
                return wantsRemote;
            }
        };
        PostgresTaskStore store =
                new PostgresTaskStore(database.dataSource(), database.schema(), nodeId, leaseTimeout, poll);
        TaskEngine engine = (TaskEngine) GobstopperTasks.builder()
                .store(store)
                .tasks(tasks)
                .tasks(extraBeans)
                .settings(settings)
                .listener(listener)
                .build();
        engine.start();
        Node node = new Node(nodeId, engine, tasks, List.of(extraBeans), events, remote);
        nodes.add(node);
        return node;
    }

    Node start(String nodeId) {
        return start(nodeId, Duration.ofSeconds(30), EngineFixture.SETTINGS);
    }

    @Override
    public void close() {
        for (Node node : nodes) {
            node.tasks().releaseAll();
        }
        for (Node node : nodes) {
            node.engine().close();
        }
        database.drop();
    }
}
