package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.TaskContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tasks the engine tests run. Tasks are keyed by a string the test chooses; the bean records what ran, in
 * which order and on which thread, and holds latches by key so a test can tell when a task has started and
 * decide when it may finish.
 */
public class TestTasks {

    /** How long a blocked task waits for its release before it gives up (a guard against hanging the build). */
    static final long BLOCK_LIMIT_SECONDS = 30;

    private final Map<String, CountDownLatch> started = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> released = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    private final Map<String, String> threads = new ConcurrentHashMap<>();
    private final List<String> order = new CopyOnWriteArrayList<>();

    // ---- what the tests look at ----

    /** Labels of {@code record} runs, in the order they ran. */
    public List<String> order() {
        return List.copyOf(order);
    }

    /** How many times a task body with this key has run (started). */
    public int runs(String key) {
        AtomicInteger count = runs.get(key);
        return count == null ? 0 : count.get();
    }

    /** The name of the thread that last ran the task with this key. */
    public String thread(String key) {
        return threads.get(key);
    }

    /** Waits until the task with this key has started; fails the test if it does not within 10 s. */
    public void awaitStarted(String key) {
        try {
            if (!startedLatch(key).await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("task '" + key + "' did not start within 10 s");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for task '" + key + "'", ex);
        }
    }

    /** Whether the task with this key has started. */
    public boolean hasStarted(String key) {
        return startedLatch(key).getCount() == 0;
    }

    /** Lets the blocked task with this key (and any later run of it) finish. */
    public void release(String key) {
        releasedLatch(key).countDown();
    }

    /** Releases every blocked task: used when a test ends. */
    public void releaseAll() {
        released.values().forEach(CountDownLatch::countDown);
    }

    private CountDownLatch startedLatch(String key) {
        return started.computeIfAbsent(key, k -> new CountDownLatch(1));
    }

    private CountDownLatch releasedLatch(String key) {
        return released.computeIfAbsent(key, k -> new CountDownLatch(1));
    }

    private int ran(String key) {
        threads.put(key, Thread.currentThread().getName());
        int run = runs.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        releasedLatch(key); // before it counts as started: a releaseAll() right after awaitStarted() must find it
        startedLatch(key).countDown();
        return run;
    }

    private void awaitRelease(String key) throws InterruptedException {
        if (!releasedLatch(key).await(BLOCK_LIMIT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("task '" + key + "' was never released");
        }
    }

    // ---- the tasks ----

    /** Records its label in {@link #order()}. */
    @BackgroundTask(name = "record")
    public String record(String label) {
        ran(label);
        order.add(label);
        return label;
    }

    /** Starts, then waits for {@link #release}; an interrupt ends it with InterruptedException. */
    @BackgroundTask(name = "block")
    public String block(String key) throws InterruptedException {
        ran(key);
        awaitRelease(key);
        return key;
    }

    /** Reports progress 30, then fails on its first {@code failures} runs and succeeds after that. */
    @BackgroundTask(name = "flaky")
    public String flaky(String key, int failures, TaskContext ctx) {
        int run = ran(key);
        ctx.reportProgress(30, "trying");
        if (run <= failures) {
            throw new IllegalStateException("flaky failure " + run + " of " + key);
        }
        return "ok after " + run;
    }

    /** Always fails with an exception that is listed in noRetryFor. */
    @BackgroundTask(name = "fail_fast", maxRetries = 5, noRetryFor = IllegalArgumentException.class)
    public void failFast(String key) {
        ran(key);
        throw new IllegalArgumentException("bad input " + key);
    }

    /** Reports 40 % with a message, waits for its release, and returns a map. */
    @BackgroundTask(name = "progress")
    public Map<String, Object> progress(String key, TaskContext ctx) throws InterruptedException {
        ctx.reportProgress(40, "msg");
        ran(key);
        awaitRelease(key);
        return Map.of("key", key, "done", true);
    }

    /** Reports progress outside 0-100. */
    @BackgroundTask(name = "bad_progress")
    public void badProgress(String key, TaskContext ctx) {
        ran(key);
        ctx.reportProgress(101);
    }

    /** Returns a future completed later on another thread with the value in upper case. */
    @BackgroundTask(name = "async_value")
    public CompletableFuture<String> asyncValue(String value) {
        ran(value);
        return CompletableFuture.supplyAsync(value::toUpperCase);
    }

    /** Returns a future that completes exceptionally on another thread. */
    @BackgroundTask(name = "async_failure")
    public CompletableFuture<String> asyncFailure(String message) {
        ran(message);
        return CompletableFuture.supplyAsync(() -> {
            throw new IllegalStateException(message);
        });
    }

    /** Returns an object that refers to itself, which cannot be written as JSON. */
    @BackgroundTask(name = "unwritable_result")
    public SelfReference unwritableResult(String key) {
        ran(key);
        return new SelfReference();
    }

    /** Recurses until the stack overflows. */
    @BackgroundTask(name = "overflow")
    public int overflow(String key) {
        ran(key);
        return recurse(0);
    }

    private int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    /** Returns the name of its thread. */
    @BackgroundTask(name = "whoami")
    public String whoami(String key) {
        ran(key);
        return Thread.currentThread().getName();
    }

    /** An object whose only property is itself. */
    public static class SelfReference {
        public SelfReference getSelf() {
            return this;
        }
    }
}
