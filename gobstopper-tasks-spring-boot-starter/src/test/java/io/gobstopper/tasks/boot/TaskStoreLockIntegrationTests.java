package io.gobstopper.tasks.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gobstopper.tasks.TaskStoreException;
import io.gobstopper.tasks.boot.support.HoldTaskStore;
import io.gobstopper.tasks.boot.support.Threads;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;

/**
 * A DuckDB file held by another process: the application fails fast at startup, and Boot's failure analysis names
 * the file and the property that gives this instance a file of its own.
 */
@ExtendWith(OutputCaptureExtension.class)
class TaskStoreLockIntegrationTests {

    @Test
    void startupFailsWithAClearMessageWhenAnotherProcessHoldsTheDatabaseFile(@TempDir Path dir, CapturedOutput output)
            throws Exception {
        Path database = dir.resolve("shared.duckdb");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // the child is killed, so the copy of DuckDB's native library it unpacks goes to this test's folder
        Process holder = new ProcessBuilder(
                        javaBin,
                        "-Djava.io.tmpdir=" + dir,
                        "-cp",
                        System.getProperty("java.class.path"),
                        HoldTaskStore.class.getName(),
                        database.toString())
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader childOutput =
                    new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line; (line = childOutput.readLine()) != null; ) {
                        if (line.equals("ready")) {
                            return true;
                        }
                    }
                    return false;
                } catch (java.io.IOException ex) {
                    return false;
                }
            });
            assertThat(ready.get(60, TimeUnit.SECONDS))
                    .as("the child process opened the store")
                    .isTrue();
            assertThat(holder.isAlive()).isTrue();
            Set<Thread> threadsBefore = Threads.gobstopperThreads();

            SpringApplicationBuilder application = new SpringApplicationBuilder(App.class)
                    .web(WebApplicationType.NONE)
                    .properties(
                            "gobstopper.tasks.enabled=true",
                            "gobstopper.tasks.duckdb.path=" + database,
                            "spring.main.banner-mode=off");

            assertThatThrownBy(application::run)
                    .satisfies(failure -> assertThat(causeOfType(failure, TaskStoreException.class))
                            .as("the failure's chain has the store's explanation")
                            .isNotNull()
                            .satisfies(storeFailure -> assertThat(storeFailure.getMessage())
                                    .contains(database.toAbsolutePath()
                                            .normalize()
                                            .toString())
                                    .contains("in use by another process")
                                    .contains("PID " + holder.pid())
                                    .contains("One DuckDB file serves one running instance")));
            assertThat(output.getAll())
                    .contains("APPLICATION FAILED TO START")
                    .contains(database.toAbsolutePath().normalize().toString())
                    .contains("gobstopper.tasks.duckdb.path");
            assertThat(Threads.gobstopperThreadsStartedSince(threadsBefore))
                    .as("the failed start left no threads")
                    .isEmpty();
        } finally {
            holder.destroyForcibly();
            holder.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static Throwable causeOfType(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return cause;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(io.gobstopper.tasks.boot.testapp.TestTasks.class)
    static class App {}
}
