package io.gobstopper.tasks.boot.testapp;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.TaskContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** A task that reports progress one step at a time, each step when its test allows it. */
public class SteppedTasks {

    private final Map<String, Semaphore> permits = new ConcurrentHashMap<>();

    /** Lets the task {@code stepped(key, ...)} take its next step(s). */
    public void allow(String key, int steps) {
        permits(key).release(steps);
    }

    private Semaphore permits(String key) {
        return permits.computeIfAbsent(key, k -> new Semaphore(0));
    }

    /** Reports {@code i * 100 / steps} percent after each allowed step; gives up after 30 s without a step. */
    @BackgroundTask(exposed = true, category = "steps")
    public String stepped(String key, int steps, TaskContext context) throws InterruptedException {
        context.reportProgress(0, "waiting for step 1 of " + steps);
        for (int step = 1; step <= steps; step++) {
            if (!permits(key).tryAcquire(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("step " + step + " of " + key + " was not allowed");
            }
            context.reportProgress(step * 100 / steps, "step " + step + " of " + steps + " done");
        }
        return key;
    }
}
