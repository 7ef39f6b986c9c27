package io.gobstopper.tasks.store.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.gobstopper.tasks.ExportFormat;
import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskPriority;
import io.gobstopper.tasks.TaskQueueUnavailableException;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.store.LiveTask;
import io.gobstopper.tasks.store.TaskChange;
import io.gobstopper.tasks.store.TaskStore;
import io.gobstopper.tasks.store.support.TextExport;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the contract suites leave open about the in-memory store: its export, its restart, and a closed store. */
class InMemoryTaskStoreTests {

    private static final Instant CREATED = Instant.parse("2025-03-04T05:06:07.123456789Z");

    private final InMemoryTaskStore store = new InMemoryTaskStore();

    private static LiveTask task(String name, Instant createdAt, List<UUID> parents, String key) {
        return LiveTask.submitted(
                UUID.randomUUID(),
                name,
                "exports",
                TaskPriority.HIGH,
                2,
                "[1,\"a\"]",
                "{}",
                createdAt,
                null,
                parents,
                key,
                null);
    }

    private LiveTask inserted(LiveTask task) {
        TaskStore.await(store.insert(List.of(task)));
        return task;
    }

    private void fail(LiveTask task, String error, Instant at) {
        assertThat(store.apply(task, new TaskChange.Start(at))).isTrue();
        assertThat(store.apply(task, new TaskChange.Fail(error, at.plusMillis(1), null)))
                .isTrue();
    }

    @Test
    void exportWritesCsvAndJsonWithThePostgresColumnsAndValueFormats() throws Exception {
        store.open(CREATED);
        LiveTask parent = inserted(task("first", CREATED, List.of(), null));
        LiveTask second = inserted(task("second", CREATED.plusSeconds(1), List.of(parent.id()), "k"));
        fail(second, "boom, \"quoted\"\nsecond line", CREATED.plusSeconds(2));

        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        store.export(TaskFilter.all(), ExportFormat.CSV, csv);

        assertThat(csv.toString(StandardCharsets.UTF_8))
                .isEqualTo(String.join(",", TextExport.COLUMNS) + "\n"
                        + second.id()
                        + ",second,exports,3,FAILED,2025-03-04T05:06:08.123456Z,2025-03-04T05:06:09.123456Z,"
                        + "2025-03-04T05:06:09.124456Z,,,\"boom, \"\"quoted\"\"\nsecond line\",0,2,\"[1,\"\"a\"\"]\",{},0,,"
                        + parent.id() + ",k\n"
                        + parent.id()
                        + ",first,exports,3,PENDING,2025-03-04T05:06:07.123456Z,,,,,,0,2,\"[1,\"\"a\"\"]\",{},0,,,"
                        + "\n");

        ByteArrayOutputStream json = new ByteArrayOutputStream();
        store.export(new TaskFilter(null, TaskStatus.FAILED, null, 1, 0), ExportFormat.JSON, json);
        JsonNode rows = JsonMapper.builder().build().readTree(json.toByteArray());
        assertThat(rows.size()).as("the filter applies, its page does not").isEqualTo(1);
        JsonNode row = rows.get(0);
        assertThat(row.path("priority").isNumber()).isTrue();
        assertThat(row.path("retry_count").asInt()).isZero();
        assertThat(row.path("error").asString()).isEqualTo("boom, \"quoted\"\nsecond line");
        assertThat(row.path("depends_on").asString()).isEqualTo(parent.id().toString());
        assertThat(row.path("result").isNull()).isTrue();
        assertThat(row.path("completed_at").asString()).isEqualTo("2025-03-04T05:06:09.124456Z");
        assertThat(store.exportFormats()).containsExactlyInAnyOrder(ExportFormat.CSV, ExportFormat.JSON);
    }

    @Test
    void openingAgainRecoversATaskLeftStartedAsPendingWithTheAttemptCountedAndHoldsItsKey() {
        store.open(CREATED);
        LiveTask running = inserted(task("running", CREATED, List.of(), "only-one"));
        store.apply(running, new TaskChange.Start(CREATED.plusSeconds(1)));
        store.apply(running, new TaskChange.Progress(40, "halfway"));
        LiveTask waiting = inserted(task("waiting", CREATED.minusSeconds(1), List.of(), null));
        store.close();

        assertThat(store.apply(running, new TaskChange.Succeed(null, CREATED.plusSeconds(2))))
                .as("the run's own copy changes")
                .isTrue();
        List<LiveTask> queued = store.open(CREATED.plusSeconds(3));

        assertThat(queued).extracting(LiveTask::id).as("oldest first").containsExactly(waiting.id(), running.id());
        TaskInfo recovered = store.find(running.id()).orElseThrow();
        assertThat(recovered.status())
                .as("a change after close is lost, as in a crash")
                .isEqualTo(TaskStatus.PENDING);
        assertThat(recovered.retryCount()).isEqualTo(1);
        assertThat(recovered.startedAt()).isNull();
        assertThat(recovered.progress()).isZero();
        assertThat(recovered.progressMessage()).isNull();
        assertThat(store.tracked(running.id())).isNotSameAs(running);
        assertThat(store.claimUniqueKey(task("again", CREATED, List.of(), "only-one")))
                .map(TaskInfo::id)
                .contains(running.id());
    }

    @Test
    void callsOnAStoreThatIsNotOpenAreRefused() {
        assertRefused();
        store.open(CREATED);
        inserted(task("kept", CREATED, List.of(), null));
        store.close();
        store.close(); // a second close is harmless

        assertRefused();
        assertThat(store.tracked(UUID.randomUUID())).isNull();
        assertThat(store.open(CREATED)).hasSize(1);
        assertThatExceptionOfType(IllegalStateException.class)
                .isThrownBy(() -> store.open(CREATED))
                .withMessageContaining("already open");
    }

    private void assertRefused() {
        UUID id = UUID.randomUUID();
        List<Runnable> calls = List.of(
                () -> store.insert(List.of(task("x", CREATED, List.of(), null))),
                () -> store.find(id),
                () -> store.list(TaskFilter.all()),
                () -> store.cancel(id, CREATED),
                () -> store.retry(id),
                () -> store.retryFailed(null, List.of("x")),
                () -> store.delete(id),
                () -> store.deleteCompletedBefore(CREATED),
                store::counts,
                () -> store.recentFailures(5),
                () -> store.analytics(Duration.ofHours(1), CREATED, io.gobstopper.tasks.TaskAnalytics.GroupBy.NAME),
                store::scheduleStates,
                () -> store.insertScheduled(task("x", CREATED, List.of(), null), "x", CREATED),
                store::check);
        for (Runnable call : calls) {
            assertThatExceptionOfType(TaskQueueUnavailableException.class)
                    .isThrownBy(call::run)
                    .withMessage("The in-memory task store is not open");
        }
    }

    @Test
    void aBulkRetryRunsOnlyTheNewestOfSeveralFailedTasksWithOneKey() {
        store.open(CREATED);
        List<LiveTask> failed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            LiveTask task = inserted(task("keyed", CREATED.plusSeconds(i), List.of(), "k"));
            fail(task, "boom", CREATED.plusSeconds(10 + i));
            failed.add(task);
        }

        TaskStore.RetriedTasks retried = store.retryFailed("exports", List.of("keyed"));

        assertThat(retried.totalFailed()).isEqualTo(3);
        assertThat(retried.tasks())
                .extracting(LiveTask::id)
                .containsExactly(failed.get(2).id());
        assertThat(store.claimUniqueKey(task("keyed", CREATED, List.of(), "k")))
                .map(TaskInfo::id)
                .contains(failed.get(2).id());
    }
}
