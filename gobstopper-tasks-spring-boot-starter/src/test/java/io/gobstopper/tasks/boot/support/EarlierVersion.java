package io.gobstopper.tasks.boot.support;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.GobstopperTasks;
import io.gobstopper.tasks.ManagedTaskQueue;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.store.DuckDbTaskStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.test.context.DynamicPropertyRegistry;
import tools.jackson.databind.json.JsonMapper;

/**
 * An earlier version of an application, whose tasks were renamed or removed since: run once on a DuckDB file with its
 * category paused, it leaves tasks there that the test application does not know, two of {@code legacy_report} and
 * one of {@code old_cleanup}.
 */
public final class EarlierVersion {

    private static final Map<Path, EarlierVersion> LEFT = new ConcurrentHashMap<>();

    /** The file it ran on. */
    public final Path file;

    /** The ids of the {@code legacy_report} tasks left. */
    public final List<UUID> legacyReports = new ArrayList<>();

    /** The ids of the {@code old_cleanup} tasks left. */
    public final List<UUID> oldCleanups = new ArrayList<>();

    /** The earlier version's tasks. */
    public static class EarlierTasks {
        @BackgroundTask(name = "legacy_report", category = "earlier")
        public String report(String quarter) {
            return quarter;
        }

        @BackgroundTask(name = "old_cleanup", category = "earlier")
        public void cleanup() {}
    }

    private EarlierVersion(Path file) {
        this.file = file;
    }

    /**
     * Runs the earlier version on the file and stops it, leaving its tasks PENDING; once per file (later calls answer
     * what the first left), so that a test's property source and its methods can both ask.
     */
    public static EarlierVersion leaveTasksIn(Path file) {
        return LEFT.computeIfAbsent(file.toAbsolutePath(), EarlierVersion::run);
    }

    /** What the earlier version left in {@code tasks.duckdb} of a folder. */
    public static EarlierVersion in(Path folder) {
        return leaveTasksIn(folder.resolve("tasks.duckdb"));
    }

    /** Points the application at {@code tasks.duckdb} of the folder, with the earlier version's tasks in it. */
    public static void useIn(DynamicPropertyRegistry registry, Supplier<Path> folder) {
        registry.add("gobstopper.tasks.duckdb.path", () -> in(folder.get()).file.toString());
    }

    private static EarlierVersion run(Path file) {
        EarlierVersion left = new EarlierVersion(file);
        ManagedTaskQueue earlier = GobstopperTasks.builder()
                .store(new DuckDbTaskStore(file, Duration.ofMillis(10)))
                .tasks(new EarlierTasks())
                .mapper(JsonMapper.builder().build())
                .workers("earlier", 0)
                .build();
        earlier.start();
        try {
            left.legacyReports.add(earlier.submit(TaskRequest.of("legacy_report", "q1")));
            left.legacyReports.add(earlier.submit(TaskRequest.of("legacy_report", "q2")));
            left.oldCleanups.add(earlier.submit(TaskRequest.of("old_cleanup")));
        } finally {
            earlier.close();
        }
        return left;
    }
}
