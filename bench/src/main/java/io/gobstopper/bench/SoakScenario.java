package io.gobstopper.bench;

import io.gobstopper.tasks.GobstopperTasks;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.engine.TaskEngine;
import io.gobstopper.tasks.engine.TaskEngineSettings;
import io.gobstopper.tasks.engine.TaskRegistry;
import io.gobstopper.tasks.store.duckdb.DuckDbTaskStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.json.JsonMapper;

/**
 * A long run at a steady rate with retention on: {@code rate} no-op tasks per second for {@code minutes}, ended tasks
 * deleted once older than {@code retention_s} (cleanup every {@code cleanup_s}). Every {@code sample_s} it reports the
 * heap after a full GC and the sizes of the DuckDB file, its WAL and the journal, so a leak or a file that only grows
 * shows as a trend. One JVM (see {@link Benchmark}, {@code systems=soak}).
 */
public final class SoakScenario {

    private SoakScenario() {}

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        int minutes = args.integer("minutes", 10);
        int rate = args.integer("rate", 1_000);
        int sampleSeconds = args.integer("sample_s", 30);
        Duration retention = Duration.ofSeconds(args.integer("retention_s", 60));
        Duration cleanup = Duration.ofSeconds(args.integer("cleanup_s", 10));
        Path dir = Files.createTempDirectory("gobstopper-soak");
        Path file = dir.resolve(UUID.randomUUID() + ".duckdb");

        JsonMapper mapper = JsonMapper.builder().build();
        TaskRegistry registry = new TaskRegistry(mapper);
        registry.registerAnnotated(new GobstopperScenarios.Tasks());
        TaskEngine engine = (TaskEngine) GobstopperTasks.builder()
                .registry(registry)
                .store(new DuckDbTaskStore(file, Duration.ofMillis(50)))
                .settings(TaskEngineSettings.DEFAULTS.withWorkers(4).withRetention(retention, cleanup))
                .mapper(mapper)
                .build();
        engine.start();

        AtomicLong submitted = new AtomicLong();
        ScheduledExecutorService submitter = Executors.newSingleThreadScheduledExecutor();
        int perTick = Math.max(1, rate / 100);
        TaskRequest noop = TaskRequest.of("noop");
        submitter.scheduleAtFixedRate(
                () -> {
                    for (int i = 0; i < perTick; i++) {
                        engine.submitAsync(noop);
                    }
                    submitted.addAndGet(perTick);
                },
                0,
                10,
                TimeUnit.MILLISECONDS);

        long start = System.nanoTime();
        long end = start + TimeUnit.MINUTES.toNanos(minutes);
        int sample = 0;
        while (System.nanoTime() < end) {
            TimeUnit.SECONDS.sleep(sampleSeconds); // a sampling period, not a wait for a condition
            sample++;
            long stored = engine.stats().total();
            long succeeded = engine.stats().byStatus().get(TaskStatus.SUCCESS);
            String at = String.format("t%04d", sample * sampleSeconds);
            Report.metric(at + "_submitted", submitted.get());
            Report.metric(at + "_rows", stored);
            Report.metric(at + "_succeeded_rows", succeeded);
            Report.metric(at + "_heap_mb", heapAfterGc() / 1048576.0);
            Report.metric(at + "_file_mb", bytes(file) / 1048576.0);
            Report.metric(at + "_wal_mb", bytes(Path.of(file + ".wal")) / 1048576.0);
            Report.metric(at + "_journal_mb", bytes(Path.of(file + ".journal")) / 1048576.0);
        }
        submitter.shutdownNow();
        engine.close();
        Report.metric("rate", rate);
        Report.metric("retention_s", retention.toSeconds());
        System.exit(0);
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long bytes(Path part) throws IOException {
        return Files.exists(part) ? Files.size(part) : 0;
    }
}
