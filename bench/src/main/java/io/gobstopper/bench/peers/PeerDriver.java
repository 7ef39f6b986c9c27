package io.gobstopper.bench.peers;

import io.gobstopper.bench.Args;
import io.gobstopper.bench.Percentiles;
import io.gobstopper.bench.Report;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The two scenarios as every peer runs them, so that the peers differ only in how they submit a task and how their
 * store says a task is done. The figures and their names are those of {@code GobstopperScenarios}.
 */
final class PeerDriver {

    /** Submits the task with this index; may block. Indices are unique within a run (warm-up ones are negative). */
    @FunctionalInterface
    interface Submit {
        void submit(int index) throws Exception;
    }

    /** How many tasks are done and durable in the peer's store, given how many submit calls have returned. */
    @FunctionalInterface
    interface Done {
        long count(long submitted) throws Exception;
    }

    /** Waits until {@code total} tasks are done or the deadline passes; returns how many are done. */
    @FunctionalInterface
    interface Await {
        long await(long total, AtomicLong submitted, long deadlineNanos) throws Exception;
    }

    /**
     * Brackets the measured part of a throughput run, outside its clock: opened just before the first submit, closed
     * right after the last task was seen done (e.g. snapshots of the database's counters).
     */
    interface Window {
        Window NONE = new Window() {
            @Override
            public void open() {}

            @Override
            public void close() {}
        };

        void open() throws Exception;

        void close() throws Exception;
    }

    private PeerDriver() {}

    /** An {@link Await} that asks the store every {@code interval}. */
    static Await polling(Done done, Duration interval) {
        return (total, submitted, deadline) -> {
            while (true) {
                long count = done.count(submitted.get());
                if (count >= total || System.nanoTime() >= deadline) {
                    return count;
                }
                TimeUnit.MILLISECONDS.sleep(interval.toMillis());
            }
        };
    }

    /**
     * Throughput: {@code tasks} tasks from {@code submitters} threads, each thread its share, as fast as
     * {@code submit} returns; timed from the first submit until all are done and durable (by {@code await}), or
     * until {@code timeout_s} after the first submit. Reports completed, seconds, tasks_per_second and finished, and
     * submit_seconds when every submit returned.
     */
    static void throughput(Args args, Submit submit, Await await) throws Exception {
        throughput(args, submit, await, Window.NONE);
    }

    /** As {@link #throughput(Args, Submit, Await)}, with {@code window} opened and closed around the clock. */
    static void throughput(Args args, Submit submit, Await await, Window window) throws Exception {
        int count = args.integer("tasks", 50_000);
        int submitters = args.integer("submitters", 1);
        long timeout = TimeUnit.SECONDS.toNanos(args.integer("timeout_s", 120));
        AtomicLong submitted = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong submitEnd = new AtomicLong();
        window.open();
        long begin = System.nanoTime();
        long deadline = begin + timeout;
        List<Thread> threads = new ArrayList<>();
        int first = 0;
        for (int t = 0; t < submitters; t++) {
            int share = count / submitters + (t < count % submitters ? 1 : 0);
            int from = first;
            first += share;
            Thread thread = new Thread(
                    () -> {
                        try {
                            for (int i = from; i < from + share && System.nanoTime() < deadline; i++) {
                                submit.submit(i);
                                submitted.incrementAndGet();
                            }
                            submitEnd.accumulateAndGet(System.nanoTime(), Math::max);
                        } catch (Throwable ex) {
                            failure.compareAndSet(null, ex);
                        }
                    },
                    "submitter-" + t);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        long completed = await.await(count, submitted, deadline);
        double seconds = (System.nanoTime() - begin) / 1e9;
        window.close();
        if (failure.get() != null) {
            throw new IllegalStateException("a submit failed", failure.get());
        }
        if (args.quiet()) {
            return;
        }
        Report.metric("completed", completed);
        Report.metric("seconds", seconds);
        Report.metric("tasks_per_second", completed / seconds);
        Report.metric("finished", completed == count ? 1 : 0);
        if (submitted.get() == count) {
            for (Thread thread : threads) {
                thread.join(1_000); // past its last submit: it only has its end time to note
            }
            Report.metric("submit_seconds", (submitEnd.get() - begin) / 1e9);
        }
    }

    /**
     * Idle latency: 50 unmeasured warm-up tasks (waited for), then {@code tasks} tasks {@code interval_ms} apart on
     * a fixed schedule; latency = System.nanoTime() just before the submit call to the start of the task body, which
     * records its own start in {@code startedAt} under its index. Waits until all started or 60 s after the last
     * submit. Reports started and the percentiles of the started ones.
     */
    static void latency(Args args, Submit submit, Map<Integer, Long> startedAt) throws Exception {
        int count = args.integer("tasks", 1_000);
        long interval = TimeUnit.MILLISECONDS.toNanos(args.integer("interval_ms", 10));
        int warmUp = 50;
        for (int i = 1; i <= warmUp; i++) {
            submit.submit(-i);
        }
        long warmUpDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (startedAt.size() < warmUp && System.nanoTime() < warmUpDeadline) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
        startedAt.clear();
        long[] submitted = new long[count];
        long next = System.nanoTime();
        for (int i = 0; i < count; i++) {
            next += interval;
            submitted[i] = System.nanoTime();
            submit.submit(i);
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (started(startedAt, count) < count && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
        long[] latencies = new long[count];
        int started = 0;
        for (int i = 0; i < count; i++) {
            Long start = startedAt.get(i);
            if (start != null) {
                latencies[started++] = start - submitted[i];
            }
        }
        Report.metric("started", started);
        if (started > 0) {
            Percentiles.report("", Arrays.copyOf(latencies, started));
        }
    }

    /** Measured tasks (index 0 to count - 1) that have started; a late warm-up task does not count. */
    private static int started(Map<Integer, Long> startedAt, int count) {
        int started = 0;
        for (Integer index : startedAt.keySet()) {
            if (index >= 0 && index < count) {
                started++;
            }
        }
        return started;
    }

    /** A map for task bodies to record their start in, keyed by index. */
    static Map<Integer, Long> startTimes() {
        return new ConcurrentHashMap<>();
    }

    /** A sensible pool: one connection per worker and per submitter, and a few for the peer's own pollers. */
    static int poolSize(int workers, int submitters) {
        return Math.max(10, workers + submitters + 4);
    }
}
