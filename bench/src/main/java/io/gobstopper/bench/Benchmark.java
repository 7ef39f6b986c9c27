package io.gobstopper.bench;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.TaskContext;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.engine.TaskEngine;
import io.gobstopper.tasks.engine.TaskEngineSettings;
import io.gobstopper.tasks.engine.TaskRegistry;
import io.gobstopper.tasks.event.TaskEventType;
import io.gobstopper.tasks.store.DuckDbTaskStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * End-to-end throughput (submit until every task is SUCCESS and committed) and idle submit-to-start latency of the
 * engine on a DuckDB file. Prints a table. Each scenario gets a fresh engine and file; a warm-up run comes first.
 */
public final class Benchmark {

    private static final int WORKERS = 4;

    /** The tasks the benchmark runs. */
    public static final class Tasks {
        final Map<UUID, Long> startedAt = new ConcurrentHashMap<>();

        @BackgroundTask(name = "noop")
        public void noop() {}

        @BackgroundTask(name = "timed")
        public void timed(TaskContext context) {
            startedAt.put(context.taskId(), System.nanoTime());
        }
    }

    private record Run(TaskEngine engine, Tasks tasks, CountDownLatch done, Path file) {}

    public static void main(String[] args) throws Exception {
        int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int latencyTasks = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        Path dir = Files.createTempDirectory("gobstopper-bench");
        System.out.printf("gobstopper-tasks benchmark: %d cores, Java %s, %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), System.getProperty("os.name"));

        throughputAsync(dir, Math.min(tasks, 5_000)); // warm-up, not reported
        List<String[]> rows = new ArrayList<>();
        rows.add(throughputAsync(dir, tasks));
        rows.add(throughputBlocking(dir, tasks, WORKERS));
        rows.add(throughputBlocking(dir, tasks, 1));
        rows.add(latency(dir, latencyTasks));

        System.out.println();
        System.out.printf("| %-62s | %-28s |%n", "scenario (DuckDB file, " + WORKERS + " workers, no-op tasks)", "result");
        System.out.printf("|%s|%s|%n", "-".repeat(64), "-".repeat(30));
        for (String[] row : rows) {
            System.out.printf("| %-62s | %-28s |%n", row[0], row[1]);
        }
        deleteTree(dir);
    }

    private static String[] throughputAsync(Path dir, int count) throws Exception {
        Run run = start(dir, count);
        long begin = System.nanoTime();
        List<CompletableFuture<UUID>> submitted = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            submitted.add(run.engine().submitAsync(TaskRequest.of("noop")));
        }
        CompletableFuture.allOf(submitted.toArray(CompletableFuture[]::new)).join();
        double seconds = finish(run, count, begin);
        return new String[] {"throughput, " + count + " tasks, submitAsync from 1 thread",
                String.format("%,.0f tasks/s", count / seconds)};
    }

    private static String[] throughputBlocking(Path dir, int count, int submitters) throws Exception {
        Run run = start(dir, count);
        long begin = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < submitters; t++) {
            int share = count / submitters + (t < count % submitters ? 1 : 0);
            Thread thread = new Thread(() -> {
                for (int i = 0; i < share; i++) {
                    run.engine().submit("noop");
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = finish(run, count, begin);
        return new String[] {"throughput, " + count + " tasks, blocking submit from " + submitters + " thread"
                + (submitters == 1 ? "" : "s"), String.format("%,.0f tasks/s", count / seconds)};
    }

    private static String[] latency(Path dir, int count) throws Exception {
        Run run = start(dir, count);
        long[] latencies = new long[count];
        for (int i = 0; i < count; i++) {
            long before = System.nanoTime();
            UUID id = run.engine().submit("timed");
            while (!run.tasks().startedAt.containsKey(id)) {
                Thread.onSpinWait();
            }
            latencies[i] = run.tasks().startedAt.get(id) - before;
            TimeUnit.MILLISECONDS.sleep(10); // idle between submits: this measures an idle system
        }
        finish(run, count, System.nanoTime());
        Arrays.sort(latencies);
        return new String[] {"idle submit-to-start latency, " + count + " tasks 10 ms apart",
                String.format("p50 %.2f ms, p95 %.2f ms, p99 %.2f ms", percentile(latencies, 50),
                        percentile(latencies, 95), percentile(latencies, 99))};
    }

    private static double percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1e6;
    }

    private static Run start(Path dir, int count) {
        JsonMapper mapper = JsonMapper.builder().build();
        TaskRegistry registry = new TaskRegistry(mapper);
        Tasks tasks = new Tasks();
        registry.registerAnnotated(tasks);
        CountDownLatch done = new CountDownLatch(count);
        Path file = dir.resolve(UUID.randomUUID() + ".duckdb");
        TaskEngine engine = new TaskEngine(registry, new DuckDbTaskStore(file, Duration.ofMillis(250)),
                TaskEngineSettings.DEFAULTS.withWorkers(WORKERS), mapper,
                List.of(event -> {
                    if (event.type() == TaskEventType.SUCCEEDED) {
                        done.countDown();
                    }
                }),
                InstantSource.system());
        engine.start();
        return new Run(engine, tasks, done, file);
    }

    /** Waits until every task succeeded and the store has committed it; returns seconds since {@code begin}. */
    private static double finish(Run run, int count, long begin) throws InterruptedException {
        if (!run.done().await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("tasks did not finish in 10 minutes");
        }
        long stored = run.engine().stats().byStatus().get(TaskStatus.SUCCESS); // flushes the writer first
        double seconds = (System.nanoTime() - begin) / 1e9;
        if (stored != count) {
            throw new IllegalStateException("expected " + count + " SUCCESS rows, found " + stored);
        }
        run.engine().close();
        return seconds;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(path -> path.toFile().delete());
        }
    }
}
