package io.gobstopper.bench.peers;

import io.gobstopper.bench.Args;
import io.gobstopper.bench.Report;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The ceiling: a plain {@link ThreadPoolExecutor} with {@code workers} threads and an unbounded queue, no
 * persistence. A task is done when its body has returned.
 */
public final class ExecutorScenarios {

    private ExecutorScenarios() {}

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        int workers = args.integer("workers", 4);
        ThreadPoolExecutor executor =
                new ThreadPoolExecutor(workers, workers, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
        executor.prestartAllCoreThreads();
        switch (args.scenario()) {
            case "throughput" -> Args.warmedUp(args, run -> throughput(executor, run, workers));
            case "latency" -> latency(executor, args, workers);
            default -> throw new IllegalArgumentException("unknown scenario " + args.scenario());
        }
        System.exit(0);
    }

    private static void throughput(ThreadPoolExecutor executor, Args args, int workers) throws Exception {
        Report.note("note", "ThreadPoolExecutor, " + workers + " threads, unbounded queue, no persistence");
        int count = args.integer("tasks", 50_000);
        int workMillis = args.integer("work_ms", 0);
        CountDownLatch done = new CountDownLatch(count);
        Runnable task = workMillis == 0
                ? done::countDown
                : () -> {
                    try {
                        TimeUnit.MILLISECONDS.sleep(workMillis);
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                    done.countDown();
                };
        PeerDriver.throughput(args, index -> executor.submit(task), (total, submitted, deadline) -> {
            done.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            return total - done.getCount();
        });
    }

    private static void latency(ThreadPoolExecutor executor, Args args, int workers) throws Exception {
        Report.note("note", workers + " threads, no persistence");
        Map<Integer, Long> startedAt = PeerDriver.startTimes();
        PeerDriver.latency(args, index -> executor.submit(() -> startedAt.put(index, System.nanoTime())), startedAt);
    }
}
