package io.gobstopper.tasks.store.duckdb;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.GobstopperTasks;
import io.gobstopper.tasks.TaskContext;
import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.engine.TaskEngine;
import io.gobstopper.tasks.engine.TaskEngineSettings;
import io.gobstopper.tasks.engine.TaskRegistry;
import io.gobstopper.tasks.event.TaskEventType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import tools.jackson.databind.json.JsonMapper;

/**
 * Child JVM for {@link CrashRecoveryTests}. Its tasks append {@code start <id>} and {@code end <id>} lines to a
 * log file; it reports to the parent through {@code @@} lines on stdout.
 *
 * <ul>
 *   <li>{@code crash <db> <log> <quick> <slow>}: runs {@code quick} tasks to a committed SUCCESS, then submits
 *       {@code slow} tasks that block until the process dies, and reports which two run; then waits to be
 *       killed.
 *   <li>{@code finish <db> <log> <total>}: starts on the same file, lets every task finish, and reports
 *       {@code all-done} once {@code total} tasks are SUCCESS.
 * </ul>
 */
public final class CrashChild {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    /** The tasks; in crash mode {@code slow} never returns. */
    public static final class CrashTasks {
        private final Path log;
        private final boolean crashing;
        final CountDownLatch slowStarted = new CountDownLatch(2);

        CrashTasks(Path log, boolean crashing) {
            this.log = log;
            this.crashing = crashing;
        }

        @BackgroundTask(name = "quick")
        public String quick(TaskContext ctx) {
            log("start " + ctx.taskId());
            log("end " + ctx.taskId());
            return "quick";
        }

        @BackgroundTask(name = "slow")
        public String slow(TaskContext ctx) throws InterruptedException {
            log("start " + ctx.taskId());
            slowStarted.countDown();
            if (crashing) {
                new CountDownLatch(1).await(); // until the process is killed
            }
            log("end " + ctx.taskId());
            return "slow";
        }

        private synchronized void log(String line) {
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

    private CrashChild() {}

    private static void send(String message) {
        System.out.println("@@" + message);
        System.out.flush();
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path db = Path.of(args[1]);
        Path log = Path.of(args[2]);
        JsonMapper mapper = JsonMapper.builder().build();
        CrashTasks tasks = new CrashTasks(log, mode.equals("crash"));
        TaskRegistry registry = new TaskRegistry(mapper);
        registry.registerAnnotated(tasks);
        Semaphore succeeded = new Semaphore(0);
        TaskEngine engine = (TaskEngine) GobstopperTasks.builder()
                .registry(registry)
                .store(new DuckDbTaskStore(db, Duration.ofMillis(50)))
                .settings(TaskEngineSettings.DEFAULTS.withWorkers(2))
                .mapper(mapper)
                .listeners(List.of(event -> {
                    if (event.type() == TaskEventType.SUCCEEDED) {
                        succeeded.release();
                    }
                }))
                .build();
        engine.start();
        if (mode.equals("crash")) {
            crash(engine, tasks, succeeded, Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        } else {
            finish(engine, succeeded, Integer.parseInt(args[3]));
        }
    }

    private static void crash(TaskEngine engine, CrashTasks tasks, Semaphore succeeded, int quick, int slow)
            throws Exception {
        List<UUID> quickIds = new ArrayList<>();
        for (int i = 0; i < quick; i++) {
            quickIds.add(engine.submit("quick"));
        }
        send("quick " + join(quickIds));
        if (!succeeded.tryAcquire(quick, LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            send("error the quick tasks did not finish");
            System.exit(2);
        }
        // list() flushes the writer: what it shows is committed
        long committed = engine.list(TaskFilter.byStatus(TaskStatus.SUCCESS)).total();
        send("committed " + committed);

        List<UUID> slowIds = new ArrayList<>();
        for (int i = 0; i < slow; i++) {
            slowIds.add(engine.submit("slow"));
        }
        send("slow " + join(slowIds));
        if (!tasks.slowStarted.await(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            send("error the slow tasks did not start");
            System.exit(2);
        }
        List<UUID> running = engine.list(TaskFilter.byStatus(TaskStatus.STARTED)).tasks().stream()
                .map(TaskInfo::id)
                .toList();
        send("running " + join(running));
        while (System.in.read() != -1) {
            // wait to be killed; if the parent goes away first, so do we
        }
        System.exit(3);
    }

    private static void finish(TaskEngine engine, Semaphore succeeded, int total) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (engine.list(TaskFilter.byStatus(TaskStatus.SUCCESS).page(1, 0)).total() < total) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !succeeded.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                send("error not every task finished: " + engine.stats().byStatus());
                System.exit(2);
            }
        }
        send("all-done");
        engine.close();
        send("closed");
    }

    private static String join(List<UUID> ids) {
        return ids.stream().map(UUID::toString).collect(Collectors.joining(" "));
    }
}
