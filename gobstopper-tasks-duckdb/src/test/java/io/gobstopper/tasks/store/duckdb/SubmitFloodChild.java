package io.gobstopper.tasks.store.duckdb;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.GobstopperTasks;
import io.gobstopper.tasks.engine.TaskEngine;
import io.gobstopper.tasks.engine.TaskEngineSettings;
import io.gobstopper.tasks.engine.TaskRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * Child JVM for {@link SubmitDurabilityTests}: submits from four threads as fast as it can and prints
 * {@code @@accepted <id>} after every submit that returned, until it is killed.
 */
public final class SubmitFloodChild {

    /** The task; it does nothing. */
    public static final class Tasks {
        @BackgroundTask(name = "noop")
        public void noop(int n) {}
    }

    private SubmitFloodChild() {}

    public static void main(String[] args) throws Exception {
        JsonMapper mapper = JsonMapper.builder().build();
        TaskRegistry registry = new TaskRegistry(mapper);
        registry.registerAnnotated(new Tasks());
        TaskEngine engine = (TaskEngine) GobstopperTasks.builder()
                .registry(registry)
                .store(new DuckDbTaskStore(Path.of(args[0]), Duration.ofMillis(50)))
                .settings(TaskEngineSettings.DEFAULTS.withWorkers(2))
                .mapper(mapper)
                .build();
        engine.start();
        System.out.println("@@ready");
        for (int t = 0; t < 4; t++) {
            new Thread(() -> {
                        for (int i = 0; ; i++) {
                            UUID id = engine.submit("noop", i);
                            synchronized (System.out) {
                                System.out.println("@@accepted " + id);
                                System.out.flush();
                            }
                        }
                    })
                    .start();
        }
        Thread.currentThread().join(); // until killed
    }
}
