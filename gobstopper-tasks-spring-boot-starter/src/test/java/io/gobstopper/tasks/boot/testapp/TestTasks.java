package io.gobstopper.tasks.boot.testapp;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.TaskContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Tasks for the REST tests. */
public class TestTasks {

    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

    /** How many times a task that counts its runs ran for this key. */
    public int runs(String key) {
        AtomicInteger count = runs.get(key);
        return count == null ? 0 : count.get();
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
}
