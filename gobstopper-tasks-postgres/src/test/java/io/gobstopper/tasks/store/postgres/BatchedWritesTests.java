package io.gobstopper.tasks.store.postgres;

import static io.gobstopper.tasks.engine.EngineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.GobstopperTasks;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.engine.EngineFixture;
import io.gobstopper.tasks.engine.TaskEngine;
import io.gobstopper.tasks.engine.TestTasks;
import io.gobstopper.tasks.event.TaskEvent;
import io.gobstopper.tasks.event.TaskEventType;
import io.gobstopper.tasks.event.TaskListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The shared store writes the work of many tasks with one statement per kind and one commit: submits made at the same
 * time share an insert, the outcomes of many runs share an update, and an outcome is told to listeners only once it
 * is committed.
 */
class BatchedWritesTests {

    private static final Predicate<String> INSERTS = sql -> sql.startsWith("INSERT INTO") && sql.contains("unnest");
    private static final Predicate<String> ENDINGS =
            sql -> sql.startsWith("UPDATE") && sql.contains("SET status = w.status");
    private static final Predicate<String> CLAIMS = sql -> sql.startsWith("WITH due AS");

    private final PostgresDatabase database = PostgresDatabase.create();
    private final CountingDataSource counting = new CountingDataSource(
            database.dataSource(), Map.of("insert", INSERTS, "ending", ENDINGS, "claim", CLAIMS));
    private final List<TaskEngine> engines = new ArrayList<>();

    @AfterEach
    void close() {
        engines.forEach(TaskEngine::close);
        database.drop();
    }

    private TaskEngine engine(int workers, TaskListener... listeners) {
        return engine(workers, SharedEngines.POLL, listeners);
    }

    private TaskEngine engine(int workers, Duration poll, TaskListener... listeners) {
        GobstopperTasks.Builder builder = GobstopperTasks.builder()
                .store(new PostgresTaskStore(
                        counting, database.schema(), "node-" + engines.size(), Duration.ofSeconds(30), poll))
                .tasks(new TestTasks())
                .settings(EngineFixture.SETTINGS.withWorkers(workers));
        for (TaskListener listener : listeners) {
            builder.listener(listener);
        }
        TaskEngine engine = (TaskEngine) builder.build();
        engine.start();
        engines.add(engine);
        return engine;
    }

    @Test
    void submitsMadeAtTheSameTimeShareInsertsAndCommits() {
        TaskEngine engine = engine(0);
        int before = counting.count("commit");
        List<CompletableFuture<UUID>> submitted = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            submitted.add(engine.submitAsync(TaskRequest.of("record", "s" + i)).toCompletableFuture());
        }
        submitted.forEach(CompletableFuture::join);

        assertThat(engine.stats().byStatus().get(TaskStatus.PENDING)).isEqualTo(300);
        assertThat(counting.count("insert"))
                .as("insert statements for 300 submits")
                .isLessThanOrEqualTo(30);
        assertThat(counting.count("commit") - before)
                .as("commits for 300 submits")
                .isLessThanOrEqualTo(30);
    }

    @Test
    void theOutcomesOfManyRunsShareUpdatesAndAreToldOnlyOnceCommitted() {
        JdbcTemplate jdbc = new JdbcTemplate(database.dataSource());
        List<String> toldEarly = new CopyOnWriteArrayList<>();
        List<UUID> told = new CopyOnWriteArrayList<>();
        TaskListener checker = new TaskListener() {
            @Override
            public void onEvent(TaskEvent event) {
                if (event.type() == TaskEventType.SUCCEEDED) {
                    String stored = jdbc.queryForObject(
                            "SELECT status FROM " + database.schema() + ".tasks WHERE id = ?",
                            String.class,
                            event.task().id());
                    if (!"SUCCESS".equals(stored)) {
                        toldEarly.add(event.task().id() + " was " + stored);
                    }
                    told.add(event.task().id());
                }
            }
        };
        TaskEngine engine = engine(4, checker);
        List<TaskRequest> requests = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            requests.add(TaskRequest.of("record", "r" + i));
        }
        engine.submitAll(requests);

        await().until(() -> told.size() == 300);
        assertThat(toldEarly)
                .as("succeeded events of tasks not yet SUCCESS in the store")
                .isEmpty();
        assertThat(engine.stats().byStatus().get(TaskStatus.SUCCESS)).isEqualTo(300);
        assertThat(counting.count("ending")).as("outcome updates for 300 runs").isLessThanOrEqualTo(150);
    }

    @Test
    void anIdleInstanceClaimsOncePerTaskItIsToldOfNotAgainWhenItsWorkerFreesUp() {
        TaskEngine engine = engine(4, Duration.ofSeconds(30)); // no poll within the test
        await().until(() -> counting.count("claim") > 0); // the first look, at start
        int before = counting.count("claim");
        for (int i = 0; i < 20; i++) {
            UUID id = engine.submit("record", "one-by-one-" + i);
            await().until(() -> engine.get(id).orElseThrow().status() == TaskStatus.SUCCESS);
        }

        // each submit is a word of work, heard twice (from the submit here and from its notification), so one or two
        // claims; the worker that freed up and the outcome that stopped holding room look no more, as the category's
        // last claim found less than it asked for and nothing was heard since (they did: about four claims a task)
        assertThat(counting.count("claim") - before)
                .as("claims for 20 tasks submitted one at a time")
                .isBetween(20, 60);
    }
}
