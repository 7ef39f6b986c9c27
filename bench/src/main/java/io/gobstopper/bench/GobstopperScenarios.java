package io.gobstopper.bench;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.GobstopperTasks;
import io.gobstopper.tasks.TaskContext;
import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.engine.TaskEngine;
import io.gobstopper.tasks.engine.TaskEngineSettings;
import io.gobstopper.tasks.engine.TaskRegistry;
import io.gobstopper.tasks.event.TaskEventType;
import io.gobstopper.tasks.store.duckdb.DuckDbTaskStore;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * gobstopper-tasks on a DuckDB file, one scenario per JVM (see {@link Benchmark}): throughput, idle latency, listing
 * and stats over a million stored tasks, heap per queued task, and file size per finished task.
 */
public final class GobstopperScenarios {

    /** The tasks the scenarios run. */
    public static final class Tasks {
        final ConcurrentHashMap<UUID, Long> startedAt = new ConcurrentHashMap<>();

        @BackgroundTask(name = "noop")
        public void noop() {}

        @BackgroundTask(name = "work")
        public void work(int millis) throws InterruptedException {
            TimeUnit.MILLISECONDS.sleep(millis);
        }

        @BackgroundTask(name = "timed")
        public void timed(TaskContext context) {
            startedAt.put(context.taskId(), System.nanoTime());
        }
    }

    private record Engine(TaskEngine engine, Tasks tasks, CountDownLatch succeeded, Path file) {}

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        Path dir = Files.createTempDirectory("gobstopper-bench");
        switch (args.scenario()) {
            case "throughput" -> Args.warmedUp(args, run -> throughput(dir, run));
            case "latency" -> latency(dir, args);
            case "listing" -> listing(dir, args);
            case "analytics" -> analytics(dir, args);
            case "memory" -> memory(dir, args);
            case "drain" -> drain(dir, args);
            case "filesize" -> fileSize(dir, args);
            default -> throw new IllegalArgumentException("unknown scenario " + args.scenario());
        }
        System.exit(0);
    }

    private static Engine start(Path dir, int workers, int expected) {
        JsonMapper mapper = JsonMapper.builder().build();
        TaskRegistry registry = new TaskRegistry(mapper);
        Tasks tasks = new Tasks();
        registry.registerAnnotated(tasks);
        CountDownLatch succeeded = new CountDownLatch(expected);
        Path file = dir.resolve(UUID.randomUUID() + ".duckdb");
        TaskEngine engine = (TaskEngine) GobstopperTasks.builder()
                .registry(registry)
                .store(new DuckDbTaskStore(file, Duration.ofMillis(50)))
                .settings(TaskEngineSettings.DEFAULTS.withWorkers(workers))
                .mapper(mapper)
                .listeners(List.of(event -> {
                    if (event.type() == TaskEventType.SUCCEEDED) {
                        succeeded.countDown();
                    }
                }))
                .build();
        engine.start();
        return new Engine(engine, tasks, succeeded, file);
    }

    /**
     * Submit {@code tasks} tasks from {@code submitters} threads ({@code mode}: async = submitAsync, blocking =
     * submit), each sleeping {@code work_ms}; measure until every one is SUCCESS and stored.
     */
    static void throughput(Path dir, Args args) throws Exception {
        int count = args.integer("tasks", 50_000);
        int submitters = args.integer("submitters", 1);
        int workMillis = args.integer("work_ms", 0);
        boolean async = args.text("mode", "async").equals("async");
        Engine run = start(dir, args.integer("workers", 4), count);
        TaskRequest request = workMillis == 0 ? TaskRequest.of("noop") : TaskRequest.of("work", workMillis);
        long begin = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < submitters; t++) {
            int share = count / submitters + (t < count % submitters ? 1 : 0);
            Thread thread = new Thread(() -> {
                List<CompletableFuture<UUID>> pending = new ArrayList<>(async ? share : 0);
                for (int i = 0; i < share; i++) {
                    if (async) {
                        pending.add(run.engine().submitAsync(request));
                    } else {
                        run.engine().submit(request);
                    }
                }
                pending.forEach(CompletableFuture::join);
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double submitSeconds = (System.nanoTime() - begin) / 1e9; // every submit returned (and, async, was stored)
        boolean finished = run.succeeded().await(args.integer("timeout_s", 300), TimeUnit.SECONDS);
        long stored = run.engine().stats().byStatus().get(TaskStatus.SUCCESS); // waits for pending writes
        double seconds = (System.nanoTime() - begin) / 1e9;
        run.engine().close();
        if (args.quiet()) {
            return;
        }
        Report.throughput(stored, count, seconds, finished);
        Report.metric("submit_seconds", submitSeconds);
    }

    /** Submit {@code tasks} tasks {@code interval_ms} apart on a fixed schedule; latency = submit call to start. */
    static void latency(Path dir, Args args) throws Exception {
        int count = args.integer("tasks", 1_000);
        long interval = TimeUnit.MILLISECONDS.toNanos(args.integer("interval_ms", 10));
        Engine run = start(dir, args.integer("workers", 4), count);
        for (int i = 0; i < 50; i++) { // warm-up, not measured
            run.engine().submit("timed");
        }
        while (run.tasks().startedAt.size() < 50) {
            TimeUnit.MILLISECONDS.sleep(1);
        }
        run.tasks().startedAt.clear();
        long[] submitted = new long[count];
        UUID[] ids = new UUID[count];
        long next = System.nanoTime();
        for (int i = 0; i < count; i++) {
            next += interval;
            submitted[i] = System.nanoTime();
            ids[i] = run.engine().submit("timed");
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (run.tasks().startedAt.size() < count && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
        long[] latencies = new long[count];
        int started = 0;
        for (int i = 0; i < count; i++) {
            Long start = run.tasks().startedAt.get(ids[i]);
            if (start != null) {
                latencies[started++] = start - submitted[i];
            }
        }
        run.engine().close();
        Report.metric("started", started);
        Percentiles.report("", Arrays.copyOf(latencies, started));
    }

    /**
     * Builds a file with {@code stored} ended tasks spread over 30 days (10 names, 5 categories; 2% FAILED, 1%
     * CANCELLED), opens the engine on it, and times listing (first page, newest first, filtered and not) and stats.
     */
    static void listing(Path dir, Args args) throws Exception {
        int stored = args.integer("stored", 1_000_000);
        long generate = System.nanoTime();
        TaskEngine engine = onGenerated(dir.resolve("listing.duckdb"), stored);
        Report.metric("generate_seconds", (System.nanoTime() - generate) / 1e9);
        TaskFilter filtered = new TaskFilter("category_3", TaskStatus.FAILED, null, TaskFilter.DEFAULT_LIMIT, 0);
        long total = engine.stats().total();
        Report.metric("stored", total);
        Report.metric("list_filtered_ms", median(() -> engine.list(filtered).total()));
        Report.metric("list_all_ms", median(() -> engine.list(TaskFilter.all()).total()));
        Report.metric(
                "list_deep_page_ms",
                median(() -> engine.list(TaskFilter.all().page(50, 500_000)).total()));
        Report.metric("stats_ms", median(() -> engine.stats().total()));
        engine.close();
    }

    /**
     * Builds a file with {@code analytics_rows} ended tasks spread over 30 days (as {@link #listing}), opens the engine
     * on it, and times analytics over all of them (a 30-day window), grouped by name and by category.
     */
    static void analytics(Path dir, Args args) throws Exception {
        TaskEngine engine = onGenerated(dir.resolve("analytics.duckdb"), args.integer("analytics_rows", 100_000));
        Duration window = Duration.ofDays(30);
        Report.metric("stored", engine.stats().total());
        Report.metric(
                "analytics_name_ms",
                median(() -> engine.analytics(window, io.gobstopper.tasks.TaskAnalytics.GroupBy.NAME, false)
                        .groups()
                        .size()));
        Report.metric(
                "analytics_category_ms",
                median(() -> engine.analytics(window, io.gobstopper.tasks.TaskAnalytics.GroupBy.CATEGORY, false)
                        .groups()
                        .size()));
        engine.close();
    }

    /** A started engine on a new file holding {@code stored} ended tasks spread over 30 days ({@link #GENERATE}). */
    private static TaskEngine onGenerated(Path file, int stored) throws Exception {
        try (DuckDbTaskStore store = new DuckDbTaskStore(file, Duration.ofMillis(50))) {
            store.open(Instant.now()); // creates the schema
        }
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
                PreparedStatement insert = connection.prepareStatement(GENERATE)) {
            insert.setLong(1, Instant.now().toEpochMilli());
            insert.setInt(2, stored);
            insert.setInt(3, stored);
            insert.setInt(4, stored);
            insert.executeUpdate();
            connection.createStatement().execute("CHECKPOINT");
        }
        JsonMapper mapper = JsonMapper.builder().build();
        TaskEngine engine = (TaskEngine) GobstopperTasks.builder()
                .registry(new TaskRegistry(mapper))
                .store(new DuckDbTaskStore(file, Duration.ofMillis(50)))
                .settings(TaskEngineSettings.DEFAULTS)
                .mapper(mapper)
                .build();
        engine.start();
        return engine;
    }

    /** Milliseconds of the median of 7 runs, after 2 unmeasured ones. */
    private static double median(LongSupplier query) {
        long[] times = new long[7];
        for (int i = -2; i < times.length; i++) {
            long begin = System.nanoTime();
            query.getAsLong();
            if (i >= 0) {
                times[i] = System.nanoTime() - begin;
            }
        }
        Arrays.sort(times);
        return times[times.length / 2] / 1e6;
    }

    /** Heap held per {@code queued} tasks waiting in a paused category. */
    static void memory(Path dir, Args args) throws Exception {
        int queued = args.integer("queued", 100_000);
        Engine run = start(dir, 0, 0);
        run.engine().submit("noop"); // classes loaded, pools and writer warmed
        long before = heapAfterGc();
        List<CompletableFuture<UUID>> pending = new ArrayList<>(queued);
        for (int i = 0; i < queued; i++) {
            pending.add(run.engine().submitAsync(TaskRequest.of("noop")));
        }
        pending.forEach(CompletableFuture::join);
        pending = null;
        run.engine().list(TaskFilter.all()); // the writer caught up: every row is in the table, as at rest
        long after = heapAfterGc();
        Report.metric("queued", run.engine().queues().get("default").queued());
        Report.metric("heap_mb_per_100k_queued", (after - before) / 1048576.0 * 100_000 / queued);
        Report.metric("heap_mb_per_1m_queued", (after - before) / 1048576.0 * 1_000_000 / queued);
        run.engine().close();
    }

    /**
     * A backlog drained: {@code tasks} no-op tasks submitted ({@code submitAll}, {@code batch} at a time) to a category
     * without workers, then run by 4 workers; reports the heap after GC with the backlog queued, and the times. Meant
     * for a JVM with a small heap ({@code -Xmx256m}): the backlog must live in the file, not the heap.
     */
    static void drain(Path dir, Args args) throws Exception {
        int count = args.integer("tasks", 5_000_000);
        int batch = args.integer("batch", 1000);
        Engine run = start(dir, 0, count);
        List<TaskRequest> requests = java.util.Collections.nCopies(batch, TaskRequest.of("noop"));
        long begin = System.nanoTime();
        for (int submitted = 0; submitted < count; submitted += batch) {
            run.engine().submitAll(requests.subList(0, Math.min(batch, count - submitted)));
        }
        Report.metric("submit_seconds", (System.nanoTime() - begin) / 1e9);
        Report.metric("queued", run.engine().queues().get("default").queued());
        Report.metric("heap_mb_queued", heapAfterGc() / 1048576.0);
        Report.metric("max_heap_mb", Runtime.getRuntime().maxMemory() / 1048576.0);
        long drainBegin = System.nanoTime();
        run.engine().resizeWorkers("default", 4);
        boolean finished = run.succeeded().await(args.integer("timeout_s", 1800), TimeUnit.SECONDS);
        long stored = run.engine().stats().byStatus().get(TaskStatus.SUCCESS); // waits for pending writes
        double seconds = (System.nanoTime() - drainBegin) / 1e9;
        Report.metric("drain_seconds", seconds);
        Report.metric("heap_mb_drained", heapAfterGc() / 1048576.0);
        run.engine().close();
        Report.throughput(stored, count, seconds, finished);
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** DuckDB file size after {@code finished} no-op tasks ran to SUCCESS and the engine closed (checkpointed). */
    static void fileSize(Path dir, Args args) throws Exception {
        int finished = args.integer("finished", 100_000);
        Engine run = start(dir, 4, finished);
        List<CompletableFuture<UUID>> pending = new ArrayList<>(finished);
        for (int i = 0; i < finished; i++) {
            pending.add(run.engine().submitAsync(TaskRequest.of("noop")));
        }
        pending.forEach(CompletableFuture::join);
        run.succeeded().await(10, TimeUnit.MINUTES);
        run.engine().close();
        long bytes = Files.size(run.file());
        Path wal = Path.of(run.file() + ".wal");
        if (Files.exists(wal)) {
            bytes += Files.size(wal);
        }
        Report.metric("file_mb_per_100k_finished", bytes / 1048576.0 * 100_000 / finished);
    }

    /** A million ended tasks in one statement; ids are UUIDv7 whose time matches created_at, as the engine makes. */
    private static final String GENERATE = """
            INSERT INTO tasks
            SELECT (substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-7' || substr(r, 1, 3) || '-8' || substr(r, 4, 3)
                        || '-' || substr(r, 7, 12))::UUID,
                   'task_' || (i % 10), 'category_' || (i % 5), 1 + (i % 4), 3, '["arg", ' || i || ']', '{}',
                   make_timestamp(ms * 1000),
                   CASE WHEN i % 50 = 0 THEN 'FAILED' WHEN i % 100 = 1 THEN 'CANCELLED' ELSE 'SUCCESS' END,
                   make_timestamp(ms * 1000 + 5000), make_timestamp(ms * 1000 + 25000), NULL,
                   CASE WHEN i % 50 = 0 OR i % 100 = 1 THEN NULL ELSE '{"ok": true, "n": ' || i || '}' END,
                   CASE WHEN i % 50 = 0 THEN 'java.lang.IllegalStateException: boom ' || i ELSE NULL END,
                   0, 100, NULL, NULL, NULL, NULL
            FROM (SELECT i, ms, lpad(printf('%x', ms), 12, '0') AS h, md5(i::VARCHAR) AS r
                  FROM (SELECT i, (?::BIGINT - (?::BIGINT - i) * (2592000000 // ?::BIGINT)) AS ms FROM range(?) t(i)))
            """;
}
