package io.gobstopper.tasks.store.postgres;

import static io.gobstopper.tasks.engine.EngineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gobstopper.tasks.NodeInfo;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TaskStateException;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.engine.EngineFixture;
import io.gobstopper.tasks.event.TaskEventType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Engines on one PostgreSQL schema, in one JVM: dividing work, fencing, cancel, transactions, and the rest. */
class SharedStoreTests {

    private final SharedEngines cluster = new SharedEngines();

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void twoInstancesRunEveryTaskOnceAndBothTakePart() {
        SharedEngines.Node a = cluster.start("a");
        SharedEngines.Node b = cluster.start("b");
        List<TaskRequest> requests = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            requests.add(TaskRequest.of("record", "t" + i));
        }
        a.engine().submitAll(requests.subList(0, 200));
        b.engine().submitAll(requests.subList(200, 400));

        await().until(() -> a.engine().stats().byStatus().get(TaskStatus.SUCCESS) == 400);
        for (int i = 0; i < 400; i++) {
            assertThat(a.tasks().runs("t" + i) + b.tasks().runs("t" + i))
                    .as("runs of t" + i)
                    .isEqualTo(1);
        }
        assertThat(a.tasks().order()).isNotEmpty();
        assertThat(b.tasks().order()).isNotEmpty();
        assertThat(a.engine().nodes()).extracting(NodeInfo::nodeId).containsExactly("a", "b");
        assertThat(b.engine().nodes().get(0).self()).isTrue();
    }

    @Test
    void aTaskSubmittedOnOneInstanceIsSeenRunningAndEndingOnTheOther() {
        SharedEngines.Node a = cluster.start("a");
        SharedEngines.Node b = cluster.start("b", Duration.ofSeconds(30), EngineFixture.SETTINGS.withWorkers(0));
        UUID id = b.engine().submit("block", "k");
        a.tasks().awaitStarted("k");
        assertThat(b.engine().get(id))
                .get()
                .extracting(TaskInfo::status, TaskInfo::nodeId)
                .containsExactly(TaskStatus.STARTED, "a");
        a.tasks().release("k");
        await().until(() -> b.engine().get(id).orElseThrow().status() == TaskStatus.SUCCESS);
        await().until(() -> b.remoteEvents().stream()
                .anyMatch(event -> event.type() == TaskEventType.SUCCEEDED
                        && event.task().id().equals(id)));
        assertThat(b.remoteEvents())
                .filteredOn(event -> event.task().id().equals(id))
                .extracting(event -> event.type())
                .contains(TaskEventType.STARTED, TaskEventType.SUCCEEDED);
    }

    @Test
    void aWorkerWhoseLeaseWasTakenOverCannotRecordItsLateResult() {
        // a: the lease would last an hour, but the test ends it by hand, as a long pause of a's process would; its
        // one worker is stuck in the paused run, so the task taken back goes to b
        SharedEngines.Node a = cluster.start("a", Duration.ofHours(1), EngineFixture.SETTINGS.withWorkers(1));
        UUID id = a.engine().submit("block", "slow");
        a.tasks().awaitStarted("slow");
        SharedEngines.Node b = cluster.start("b");
        new JdbcTemplate(cluster.database.dataSource())
                .update(
                        "UPDATE " + cluster.database.schema()
                                + ".tasks SET lease_until = now() - interval '1 second' WHERE id = ?",
                        id);

        b.tasks().awaitStarted("slow"); // b swept the expired lease and claimed the task
        b.tasks().release("slow");
        await().until(() -> b.engine().get(id).orElseThrow().status() == TaskStatus.SUCCESS);
        a.tasks().release("slow"); // a's run returns only now: too late

        TaskInfo stored = b.engine().get(id).orElseThrow();
        assertThat(stored.nodeId()).isEqualTo("b");
        assertThat(stored.retryCount()).as("the takeover counts an attempt").isEqualTo(1);
        await().until(() -> a.engine().stats().running() == 0);
        assertThat(a.events())
                .filteredOn(event -> event.task().id().equals(id))
                .extracting(event -> event.type())
                .containsExactly(TaskEventType.SUBMITTED, TaskEventType.STARTED);
        assertThat(b.engine().get(id).orElseThrow().nodeId()).isEqualTo("b");
    }

    @Test
    void aRunWhoseLeaseWasTakenOverIsInterruptedAndRecordsNothing() {
        SharedEngines.Node a = cluster.start("a", Duration.ofSeconds(1), EngineFixture.SETTINGS);
        UUID id = a.engine().submit("block", "held");
        a.tasks().awaitStarted("held");
        // another instance takes the task over, as the sweep does for a silent one: a new fence and owner
        new JdbcTemplate(cluster.database.dataSource())
                .update(
                        "UPDATE " + cluster.database.schema()
                                + ".tasks SET fence = fence + 1, node_id = 'elsewhere' WHERE id = ?",
                        id);

        // a's next lease renewal finds the task gone, and interrupts the run that blocks one of its workers
        await().until(() -> a.engine().stats().running() == 0);
        TaskInfo stored = new JdbcTemplate(cluster.database.dataSource())
                .queryForObject(
                        "SELECT status, node_id FROM " + cluster.database.schema() + ".tasks WHERE id = ?",
                        (rs, n) -> new TaskInfo(
                                id,
                                "block",
                                "default",
                                io.gobstopper.tasks.TaskPriority.NORMAL,
                                TaskStatus.valueOf(rs.getString(1)),
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                0,
                                0,
                                "[]",
                                "{}",
                                0,
                                null,
                                List.of(),
                                null,
                                null,
                                false,
                                rs.getString(2)),
                        id);
        assertThat(stored.status())
                .as("nothing recorded by the interrupted run")
                .isEqualTo(TaskStatus.STARTED);
        assertThat(stored.nodeId()).isEqualTo("elsewhere");
        assertThat(a.events())
                .filteredOn(event -> event.task().id().equals(id))
                .extracting(event -> event.type())
                .containsExactly(TaskEventType.SUBMITTED, TaskEventType.STARTED);
    }

    @Test
    void aCancelOnOneInstanceStopsTheRunOnAnother() {
        SharedEngines.Node a = cluster.start("a");
        SharedEngines.Node b = cluster.start("b", Duration.ofSeconds(30), EngineFixture.SETTINGS.withWorkers(0));
        UUID id = a.engine().submit("block", "long");
        a.tasks().awaitStarted("long");

        TaskInfo answer = b.engine().cancel(id);
        assertThat(answer.status()).isEqualTo(TaskStatus.STARTED);
        assertThat(answer.cancelRequested()).isTrue();
        await().until(() -> b.engine().get(id).orElseThrow().status() == TaskStatus.CANCELLED);
    }

    @Test
    void aCancelledWaitingTaskNeverRunsAnywhere() {
        SharedEngines.Node a = cluster.start("a", Duration.ofSeconds(30), EngineFixture.SETTINGS.withWorkers(0));
        UUID id = a.engine().submit("record", "never");
        assertThat(a.engine().cancel(id).status()).isEqualTo(TaskStatus.CANCELLED);
        SharedEngines.Node b = cluster.start("b");
        UUID probe = b.engine().submit("record", "probe");
        await().until(() -> b.engine().get(probe).orElseThrow().status() == TaskStatus.SUCCESS);
        assertThat(b.tasks().runs("never")).isZero();
        assertThatThrownBy(() -> b.engine().cancel(id))
                .isInstanceOf(TaskStateException.class)
                .hasMessageContaining("CANCELLED");
    }

    @Test
    void aSubmitInsideATransactionCommitsOrRollsBackWithIt() {
        SharedEngines.Node a = cluster.start("a");
        TransactionTemplate transaction =
                new TransactionTemplate(new DataSourceTransactionManager(cluster.database.dataSource()));
        List<UUID> ids = new ArrayList<>();
        transaction.executeWithoutResult(status -> {
            ids.add(a.engine().submit("record", "rolled-back"));
            status.setRollbackOnly();
        });
        UUID kept = transaction.execute(status -> a.engine().submit("record", "committed"));

        await().until(() -> a.engine().get(kept).orElseThrow().status() == TaskStatus.SUCCESS);
        assertThat(a.engine().get(ids.get(0))).isEmpty();
        assertThat(a.tasks().runs("rolled-back")).isZero();
        assertThat(a.events())
                .filteredOn(event -> event.task().id().equals(ids.get(0)))
                .isEmpty();
    }

    @Test
    void aDependantRunsOnceItsParentSucceededOnAnotherInstanceAndIsCancelledWhenItFailed() {
        SharedEngines.Node a = cluster.start("a");
        SharedEngines.Node b = cluster.start("b");
        UUID parent = a.engine().submit("block", "parent");
        UUID child = b.engine()
                .submit(TaskRequest.builder("record")
                        .args("child")
                        .dependsOn(parent)
                        .build());
        // either instance may claim the parent: wait until one of them runs it
        await().until(() -> a.tasks().hasStarted("parent") || b.tasks().hasStarted("parent"));
        assertThat(a.engine().get(child).orElseThrow().status()).isEqualTo(TaskStatus.PENDING);
        a.tasks().release("parent");
        b.tasks().release("parent");
        await().until(() -> a.engine().get(child).orElseThrow().status() == TaskStatus.SUCCESS);

        // stored together, so the dependant exists before its parent can fail
        List<UUID> chain = a.engine()
                .chain(TaskRequest.of("fail_fast", "bad"))
                .then("record", "doomed")
                .submit();
        UUID failing = chain.get(0);
        UUID doomed = chain.get(1);
        await().until(() -> b.engine().get(doomed).orElseThrow().status() == TaskStatus.CANCELLED);
        assertThat(b.engine().get(doomed).orElseThrow().error())
                .contains(failing.toString())
                .contains("FAILED");
    }

    @Test
    void aUniqueKeyHoldsAcrossInstancesAndRetriesAndDelaysWork() {
        ClusterFlakyTasks[] flakyBeans = ClusterFlakyTasks.sharing(2); // a retry may run on either instance
        SharedEngines.Node a = cluster.start("a", Duration.ofSeconds(30), EngineFixture.SETTINGS, flakyBeans[0]);
        SharedEngines.Node b = cluster.start("b", Duration.ofSeconds(30), EngineFixture.SETTINGS, flakyBeans[1]);
        TaskRequest unique =
                TaskRequest.builder("block").args("u").uniqueKey("only-one").build();
        UUID first = a.engine().offer(unique).id();
        assertThat(b.engine().offer(unique).created()).isFalse();
        assertThat(b.engine().offer(unique).id()).isEqualTo(first);
        a.tasks().release("u");
        b.tasks().release("u");
        await().until(() -> a.engine().get(first).orElseThrow().status() == TaskStatus.SUCCESS);

        UUID flaky = a.engine()
                .submit(TaskRequest.builder("cluster_flaky")
                        .args("f", 2)
                        .maxRetries(3)
                        .build());
        await().until(() -> b.engine().get(flaky).orElseThrow().status() == TaskStatus.SUCCESS);
        assertThat(b.engine().get(flaky).orElseThrow().retryCount()).isEqualTo(2);

        UUID later = b.engine()
                .submit(TaskRequest.builder("record")
                        .args("later")
                        .delay(Duration.ofMillis(700))
                        .build());
        assertThat(a.engine().get(later).orElseThrow().status()).isEqualTo(TaskStatus.PENDING);
        TaskInfo done =
                await().until(() -> a.engine().get(later).orElseThrow(), task -> task.status() == TaskStatus.SUCCESS);
        assertThat(done.startedAt()).isAfterOrEqualTo(done.runAt());
    }

    @Test
    void theOldestWaitOfACategoryCountsTasksWaitingInTheSharedStore() {
        SharedEngines.Node a = cluster.start(
                "a",
                Duration.ofSeconds(30),
                EngineFixture.SETTINGS.withCategory(
                        "default",
                        new io.gobstopper.tasks.engine.TaskEngineSettings.CategorySettings(
                                0, null, null, null, Duration.ofMillis(300))));
        UUID waiting = a.engine().submit("record", "waits");
        await().until(() -> a.engine().queues().get("default").overdue());
        assertThat(a.engine().queues().get("default").oldestWait()).isGreaterThan(Duration.ofMillis(300));

        a.engine().resizeWorkers("default", 1);
        await().until(() -> a.engine().get(waiting).orElseThrow().status() == TaskStatus.SUCCESS);
        await().until(() -> !a.engine().queues().get("default").overdue());
    }

    @Test
    void aNodeIdInUseByALiveInstanceIsRefused() {
        cluster.start("same");
        PostgresTaskStore second = new PostgresTaskStore(
                cluster.database.dataSource(),
                cluster.database.schema(),
                "same",
                Duration.ofSeconds(30),
                SharedEngines.POLL);
        assertThatThrownBy(() -> second.open(java.time.Instant.now()))
                .hasMessageContaining("Node id 'same' is in use")
                .hasMessageContaining("gobstopper.tasks.postgres.node-id");
    }
}
