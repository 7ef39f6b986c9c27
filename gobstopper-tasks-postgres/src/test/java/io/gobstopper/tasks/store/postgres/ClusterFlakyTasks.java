package io.gobstopper.tasks.store.postgres;

import io.gobstopper.tasks.BackgroundTask;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A flaky task whose runs are counted across the instances that share one count (give each instance a bean on the
 * same count): it fails its first {@code failures} runs wherever they ran, as a task failing on an outside service
 * would, since any instance may run a retry.
 */
final class ClusterFlakyTasks {

    private final Map<String, AtomicInteger> runs;

    ClusterFlakyTasks(Map<String, AtomicInteger> runs) {
        this.runs = runs;
    }

    /** Beans for several instances, counting together. */
    static ClusterFlakyTasks[] sharing(int instances) {
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        ClusterFlakyTasks[] beans = new ClusterFlakyTasks[instances];
        for (int i = 0; i < instances; i++) {
            beans[i] = new ClusterFlakyTasks(runs);
        }
        return beans;
    }

    @BackgroundTask(name = "cluster_flaky")
    public String flaky(String key, int failures) {
        int run = runs.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        if (run <= failures) {
            throw new IllegalStateException("flaky failure " + run + " of " + key);
        }
        return "ok after " + run;
    }
}
