package io.gobstopper.tasks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.GobstopperTasks;
import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.contract.TestStorage;
import io.gobstopper.tasks.event.TaskEvent;
import io.gobstopper.tasks.retry.RetryPolicy;
import io.gobstopper.tasks.store.TaskStore;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds real engines on a test's storage (a DuckDB file, a PostgreSQL schema, ...), with {@link TestTasks} (and any
 * other beans) registered and a listener that records every event. {@link #restart} closes the engine and opens a new
 * one on the same storage, with the same task beans, as a restarted application would. The fixture owns the storage
 * and forgets it when it closes.
 */
public final class EngineFixture implements AutoCloseable {

    /** Short backoff so retries happen within a test: 20 ms, doubling, at most 200 ms. */
    public static final RetryPolicy FAST_RETRY = new RetryPolicy(Duration.ofMillis(20), 2.0, Duration.ofMillis(200));

    /** A backoff so long that a task in RETRY does not run again during a test. */
    public static final RetryPolicy HOUR_RETRY = new RetryPolicy(Duration.ofHours(1), 2.0, Duration.ofHours(1));

    /** Test defaults: 2 workers per category, fast retries, a 10 s shutdown timeout. */
    public static final TaskEngineSettings SETTINGS =
            TaskEngineSettings.DEFAULTS.withRetry(FAST_RETRY).withShutdownTimeout(Duration.ofSeconds(10));

    /** The longest any test waits for a condition. */
    public static final Duration WAIT = Duration.ofSeconds(15);

    private final TestStorage storage;
    private final JsonMapper mapper = JsonMapper.builder().build();
    private final TestTasks tasks = new TestTasks();
    private final List<Object> beans = new ArrayList<>();
    private final List<TaskEvent> events = new CopyOnWriteArrayList<>();
    private TaskEngine engine;

    private EngineFixture(TestStorage storage, List<Object> extraBeans) {
        this.storage = storage;
        this.beans.add(tasks);
        this.beans.addAll(extraBeans);
    }

    /** A started engine with the test defaults. */
    public static EngineFixture start(TestStorage storage) {
        return start(storage, SETTINGS);
    }

    /** A started engine with these settings. */
    public static EngineFixture start(TestStorage storage, TaskEngineSettings settings, Object... extraBeans) {
        EngineFixture fixture = new EngineFixture(storage, List.of(extraBeans));
        fixture.engine = fixture.create(settings, InstantSource.system());
        fixture.engine.start();
        return fixture;
    }

    /** A fixture whose engine is built but not started. */
    public static EngineFixture unstarted(TestStorage storage) {
        EngineFixture fixture = new EngineFixture(storage, List.of());
        fixture.engine = fixture.create(SETTINGS, InstantSource.system());
        return fixture;
    }

    /** A new engine on this fixture's storage and beans, not started. */
    public TaskEngine create(TaskEngineSettings settings, InstantSource clock) {
        return (TaskEngine) GobstopperTasks.builder()
                .store(storage.create())
                .tasks(beans.toArray())
                .mapper(mapper)
                .settings(settings)
                .listener(events::add)
                .clock(clock)
                .build();
    }

    /** Closes the current engine and starts a new one on the same storage. */
    public TaskEngine restart(TaskEngineSettings settings) {
        return restart(settings, InstantSource.system());
    }

    /** Closes the current engine and starts a new one on the same storage, with this clock. */
    public TaskEngine restart(TaskEngineSettings settings, InstantSource clock) {
        engine.close();
        engine = create(settings, clock);
        engine.start();
        return engine;
    }

    /**
     * Closes the current engine and starts a new one on the same storage with other beans besides {@link TestTasks}
     * (these replace the extra beans given before), as an application deployed with changed code would.
     */
    public TaskEngine restartWith(TaskEngineSettings settings, Object... extraBeans) {
        engine.close();
        beans.clear();
        beans.add(tasks);
        beans.addAll(List.of(extraBeans));
        engine = create(settings, InstantSource.system());
        engine.start();
        return engine;
    }

    public TaskEngine engine() {
        return engine;
    }

    public TestTasks tasks() {
        return tasks;
    }

    /** The storage the engines of this fixture work on. */
    public TestStorage storage() {
        return storage;
    }

    /**
     * Looks at what is stored through a store of its own, opened on the storage while no engine of this fixture runs
     * (close it first), and closed again.
     */
    public <T> T inspect(Function<TaskStore, T> look) {
        try (TaskStore store = storage.create()) {
            store.open(java.time.Instant.now());
            return look.apply(store);
        }
    }

    /** The unfinished (PENDING, RETRY or STARTED) tasks stored, newest first: what the next start takes up. */
    public List<TaskInfo> storedUnfinished() {
        return inspect(store -> store.list(TaskFilter.all().page(TaskFilter.MAX_LIMIT, 0)).tasks().stream()
                .filter(task -> !task.status().isCompleted())
                .toList());
    }

    /** Every event the engines of this fixture emitted, in order. */
    public List<TaskEvent> events() {
        return List.copyOf(events);
    }

    /** Submits a task in a category. */
    public UUID submitIn(String category, String name, Object... args) {
        return engine.submit(
                TaskRequest.builder(name).args(args).category(category).build());
    }

    /** Waits until the task has this status and returns it then. */
    public TaskInfo awaitStatus(UUID id, TaskStatus status) {
        TaskInfo task = await().alias("task " + id + " reaches " + status)
                .until(() -> engine.get(id).orElse(null), found -> found != null && found.status() == status);
        assertThat(task.status()).isEqualTo(status);
        return task;
    }

    /** Awaitility with the test limit and quick polling. */
    public static ConditionFactory await() {
        return Awaitility.await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5));
    }

    /** Lets every blocked task finish, closes the engine and forgets the storage. */
    @Override
    public void close() {
        tasks.releaseAll();
        try {
            if (engine != null) {
                engine.close();
            }
        } finally {
            storage.close();
        }
    }
}
