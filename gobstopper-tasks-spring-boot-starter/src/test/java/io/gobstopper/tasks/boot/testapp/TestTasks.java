package io.gobstopper.tasks.boot.testapp;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.TaskContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/** Tasks for the REST tests. */
public class TestTasks {

    /** The longest a test task waits for its test, so a failed test cannot keep a worker forever. */
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(30);

    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();

    /** How many times a task that counts its runs ran for this key. */
    public int runs(String key) {
        AtomicInteger count = runs.get(key);
        return count == null ? 0 : count.get();
    }

    /** The gate that tasks {@code waitAt(key)} wait at; {@code countDown()} opens it. */
    public CountDownLatch gate(String key) {
        return gates.computeIfAbsent(key, k -> new CountDownLatch(1));
    }

    private int countRun(String key) {
        return runs.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    @BackgroundTask(exposed = true)
    public Map<String, Object> echo(String text, TaskContext context) {
        context.reportProgress(50, "half way");
        countRun(text);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("echo", text);
        result.put("length", text.length());
        return result;
    }

    @BackgroundTask(exposed = true, category = "math")
    public int add(int a, int b) {
        return a + b;
    }

    @BackgroundTask
    public String internal() {
        return "not for HTTP clients";
    }

    @BackgroundTask(exposed = true)
    public void fail(String message) {
        throw new IllegalStateException(message);
    }

    /** Fails on its first run for a key and succeeds on every later one. */
    @BackgroundTask(exposed = true)
    public String failOnce(String key) {
        if (countRun(key) == 1) {
            throw new IllegalStateException("first run of " + key + " fails");
        }
        return "ok " + key;
    }

    /** Starts, then waits until its test opens the gate for this key. */
    @BackgroundTask(exposed = true)
    public String waitAt(String key) throws InterruptedException {
        countRun(key);
        if (!gate(key).await(LONGEST_WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("the gate " + key + " was not opened");
        }
        return key;
    }

    /**
     * Works in small steps until it is asked to stop, as a cooperative long-running task does; counts a run of
     * {@code key + "/saw-cancel"} when it stopped because {@link TaskContext#isCancelled()} turned true. An interrupt
     * (shutdown) stops it too.
     */
    @BackgroundTask(exposed = true)
    public int untilCancelled(String key, TaskContext context) {
        countRun(key);
        long deadline = System.nanoTime() + LONGEST_WAIT.toNanos();
        int steps = 0;
        while (!context.isCancelled() && !Thread.currentThread().isInterrupted() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            steps++;
        }
        if (context.isCancelled()) {
            countRun(key + "/saw-cancel");
        }
        return steps;
    }
}
