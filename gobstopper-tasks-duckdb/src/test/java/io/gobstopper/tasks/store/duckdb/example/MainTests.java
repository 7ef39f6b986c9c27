package io.gobstopper.tasks.store.duckdb.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.store.TaskStore;
import io.gobstopper.tasks.store.duckdb.DuckDbTaskStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Without Spring Boot" example is {@link Main}, word for word: a plain {@code main} that builds the task
 * queue with the builder, submits a task and waits for it, on a DuckDB file.
 */
class MainTests {

    @TempDir
    Path dir;

    @Test
    void theMainSubmitsAndRunsATaskOnDuckDb() throws Exception {
        Path file = dir.resolve("tasks.duckdb");
        PrintStream console = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            Main.main(new String[] {file.toString()});
        } finally {
            System.setOut(console);
        }

        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("SUCCESS \"sent 'Welcome!' to ada@example.com\"");
        try (TaskStore store = new DuckDbTaskStore(file)) {
            store.open(Instant.now());
            assertThat(store.list(TaskFilter.all()).tasks())
                    .singleElement()
                    .satisfies(task -> {
                        assertThat(task.name()).isEqualTo("send_email");
                        assertThat(task.category()).isEqualTo("mail");
                        assertThat(task.status()).isEqualTo(TaskStatus.SUCCESS);
                    })
                    .extracting(TaskInfo::args)
                    .isEqualTo("[\"ada@example.com\",\"Welcome!\"]");
        }
    }

    @Test
    void theReadmeShowsThisMainWordForWord() throws Exception {
        String source = Files.readString(Path.of("src/test/java/io/gobstopper/tasks/store/duckdb/example/Main.java"));
        String withoutPackage = source.substring(source.indexOf("import "));
        String readme = Files.readString(Path.of("../README.md"));

        assertThat(readme).as("README.md, section Without Spring Boot").contains("```java\n" + withoutPackage + "```");
    }
}
