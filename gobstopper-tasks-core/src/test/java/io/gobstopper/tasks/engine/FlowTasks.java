package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.TaskContext;
import io.gobstopper.tasks.TaskPriority;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Tasks for the timeout, cancel and flow-control tests; each records when it started, by key. */
public class FlowTasks {

    private final Map<String, Instant> startedAt = new ConcurrentHashMap<>();
    private final CountDownLatch stubbornRelease = new CountDownLatch(1);

    public Instant startedAt(String key) {
        return startedAt.get(key);
    }

    public boolean hasStarted(String key) {
        return startedAt.containsKey(key);
    }

    /** Lets {@code stubborn} tasks return. */
    public void releaseStubborn() {
        stubbornRelease.countDown();
    }

    /** Sleeps 10 s unless interrupted; its runs may take 1 s. */
    @BackgroundTask(name = "sleepy", timeout = "1s")
    public void sleepy(String key) throws InterruptedException {
        startedAt.put(key, Instant.now());
        TimeUnit.SECONDS.sleep(10);
    }

    /** Like {@code sleepy}, with a retry: a timeout is a failed attempt. */
    @BackgroundTask(name = "sleepy_retried", timeout = "300ms", maxRetries = 1)
    public void sleepyRetried(String key) throws InterruptedException {
        startedAt.put(key, Instant.now());
        TimeUnit.SECONDS.sleep(10);
    }

    /** Works in small steps until asked to stop. */
    @BackgroundTask(name = "cooperative")
    public String cooperative(String key, TaskContext ctx) {
        startedAt.put(key, Instant.now());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!ctx.isCancelled() && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // busy work that ignores interrupts but checks the flag
        }
        return ctx.isCancelled() ? "stopped" : "finished";
    }

    /** Ignores interrupts and the cancel flag until released. */
    @BackgroundTask(name = "stubborn")
    public String stubborn(String key) {
        startedAt.put(key, Instant.now());
        while (true) {
            try {
                if (stubbornRelease.await(30, TimeUnit.SECONDS)) {
                    return "done";
                }
            } catch (InterruptedException ignored) {
                // keeps going
            }
        }
    }

    /** Records its start and returns at once. */
    @BackgroundTask(name = "mark", category = "flow")
    public String mark(String key) {
        startedAt.put(key, Instant.now());
        return key;
    }

    /** Takes 20 ms; HIGH by default. */
    @BackgroundTask(name = "busy", category = "aging", priority = TaskPriority.HIGH)
    public void busy(String key) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(20);
    }

    /** Records its start; LOW by default. */
    @BackgroundTask(name = "humble", category = "aging", priority = TaskPriority.LOW)
    public void humble(String key) {
        startedAt.put(key, Instant.now());
    }
}
