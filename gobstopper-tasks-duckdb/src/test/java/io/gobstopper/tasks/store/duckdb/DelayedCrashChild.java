package io.gobstopper.tasks.store.duckdb;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.GobstopperTasks;
import io.gobstopper.tasks.TaskContext;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.engine.TaskEngine;
import io.gobstopper.tasks.engine.TaskEngineSettings;
import io.gobstopper.tasks.engine.TaskRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * Child JVM for {@link DelayedStartTests}: {@code <db> <log> <delay-ms>} starts an engine on the file, submits one
 * {@code delayed_logged} task with that delay, reports {@code submitted <id> <runAt-epoch-micros>} on stdout and
 * waits to be killed. Its write delay is long, so at the kill the task is durable in the submit journal only.
 */
public final class DelayedCrashChild {

    /** Appends {@code run <id> <start-epoch-micros>} to a log file when it runs. */
    public static final class LoggingTasks {
        private final Path log;

        public LoggingTasks(Path log) {
            this.log = log;
        }

        @BackgroundTask(name = "delayed_logged")
        public String logged(TaskContext ctx) {
            Instant now = Instant.now();
            write("run " + ctx.taskId() + " " + micros(now));
            return "ran";
        }

        /** The lines written so far (none if the file does not exist). */
        public List<String> lines() {
            try {
                return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        private synchronized void write(String line) {
            try {
                Files.writeString(
                        log,
                        line + "\n",
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND,
                        StandardOpenOption.WRITE);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }

    private DelayedCrashChild() {}

    static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    static Instant fromMicros(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        Path log = Path.of(args[1]);
        Duration delay = Duration.ofMillis(Long.parseLong(args[2]));
        JsonMapper mapper = JsonMapper.builder().build();
        TaskRegistry registry = new TaskRegistry(mapper);
        registry.registerAnnotated(new LoggingTasks(log));
        // a long write delay: the row waits in the journal, so the kill finds it there and not in DuckDB
        TaskEngine engine = (TaskEngine) GobstopperTasks.builder()
                .registry(registry)
                .store(new DuckDbTaskStore(db, Duration.ofSeconds(30)))
                .settings(TaskEngineSettings.DEFAULTS)
                .mapper(mapper)
                .build();
        engine.start();
        UUID id =
                engine.submit(TaskRequest.builder("delayed_logged").delay(delay).build());
        TaskInfo task = engine.get(id).orElseThrow();
        System.out.println("@@submitted " + id + " " + micros(task.runAt()));
        System.out.flush();
        while (System.in.read() != -1) {
            // wait to be killed; if the parent goes away first, so do we
        }
        System.exit(3);
    }
}
