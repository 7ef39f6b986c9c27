package io.gobstopper.tasks.store.postgres;

import static io.gobstopper.tasks.engine.EngineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.engine.EngineFixture;
import io.gobstopper.tasks.event.TaskEvent;
import io.gobstopper.tasks.event.TaskEventType;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * What goes over the store's notification channel: one notification per commit, which says whether there is work and
 * carries the commit's events; an instance decodes the events only while someone there wants them.
 */
class NotificationTests {

    private static final Duration LEASE = Duration.ofSeconds(10);

    private final SharedEngines cluster = new SharedEngines();
    private Connection listening;

    @BeforeEach
    void listen() throws SQLException {
        listening = DriverManager.getConnection(PostgresDatabase.URL);
        try (Statement statement = listening.createStatement()) {
            statement.execute("LISTEN gobstopper_" + cluster.database.schema());
        }
    }

    @AfterEach
    void close() throws SQLException {
        listening.close();
        cluster.close();
    }

    private List<String> heard() throws SQLException {
        List<String> payloads = new ArrayList<>();
        PGNotification[] received = listening.unwrap(PGConnection.class).getNotifications(200);
        if (received != null) {
            for (PGNotification notification : received) {
                payloads.add(notification.getParameter());
            }
        }
        return payloads;
    }

    @Test
    void aCommitOfAHundredTasksSendsOneNotificationAndOnlyAnInstanceThatWantsEventsDecodesThem() throws Exception {
        SharedEngines.Node worker = cluster.startQuiet("worker", LEASE, EngineFixture.SETTINGS.withWorkers(0));
        heard();

        List<TaskRequest> requests = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            requests.add(TaskRequest.of("record", "quiet-" + i));
        }
        List<UUID> ids = worker.engine().submitAll(requests);
        List<String> payloads = new ArrayList<>(heard());
        payloads.addAll(heard());

        assertThat(payloads).as("one commit, one notification").hasSize(1);
        assertThat(payloads.get(0)).startsWith("E:worker:w:");
        assertThat(payloads.get(0).split(",")).as("its hundred submits").hasSize(100);
        assertThat(ids).allMatch(id -> payloads.get(0).contains(id.toString()));

        worker.engine().resizeWorkers("default", 4);
        await().until(() -> ids.stream()
                .allMatch(id -> worker.engine().get(id).orElseThrow().status() == TaskStatus.SUCCESS));
        SharedEngines.Node watcher = cluster.start("watcher", LEASE, EngineFixture.SETTINGS.withWorkers(0));
        UUID id = worker.engine().submit("record", "watched");
        await().untilAsserted(() -> assertThat(watcher.remoteEvents())
                .filteredOn(event -> event.task().id().equals(id))
                .extracting(TaskEvent::type)
                .containsExactly(TaskEventType.SUBMITTED, TaskEventType.STARTED, TaskEventType.SUCCEEDED));
        assertThat(worker.remoteEvents()).as("the worker wants no events").isEmpty();
    }
}
