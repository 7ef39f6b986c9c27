package io.gobstopper.tasks.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.TaskContext;
import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.store.DuckDbTaskStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class SmokeTests {

    public static class Tasks {
        @BackgroundTask
        public String hello(String name, TaskContext ctx) {
            ctx.reportProgress(50, "half");
            return "hi " + name;
        }
    }

    @Test
    void runs(@TempDir Path dir) {
        JsonMapper mapper = JsonMapper.builder().build();
        TaskRegistry registry = new TaskRegistry(mapper);
        registry.registerAnnotated(new Tasks());
        TaskEngine engine = new TaskEngine(registry, new DuckDbTaskStore(dir.resolve("t.duckdb"), Duration.ofMillis(50)),
                TaskEngineSettings.DEFAULTS, mapper, List.of(), InstantSource.system());
        engine.start();
        UUID id = engine.submit("hello", "bob");
        await().untilAsserted(() -> assertThat(engine.get(id).orElseThrow().status()).isEqualTo(TaskStatus.SUCCESS));
        assertThat(engine.list(TaskFilter.all()).tasks()).singleElement().satisfies(t -> {
            assertThat(t.result()).isEqualTo("\"hi bob\"");
            assertThat(t.status()).isEqualTo(TaskStatus.SUCCESS);
        });
        System.out.println(engine.stats());
        engine.close();
    }
}
