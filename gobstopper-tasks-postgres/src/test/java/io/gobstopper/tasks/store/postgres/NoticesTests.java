package io.gobstopper.tasks.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.event.TaskEventType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The notification channel's protocol: as few notifications as a commit needs, each read back as it was meant. */
class NoticesTests {

    /** Everything one read heard. */
    private static final class Heard implements Notices.Heard {
        int work;
        final List<Instant> due = new ArrayList<>();
        final List<UUID> cancels = new ArrayList<>();
        boolean wantsEvents = true;
        final List<String> nodes = new ArrayList<>();
        final List<Notices.Event> events = new ArrayList<>();

        @Override
        public void work() {
            work++;
        }

        @Override
        public void dueAt(Instant at) {
            due.add(at);
        }

        @Override
        public void cancelRequested(UUID id) {
            cancels.add(id);
        }

        @Override
        public boolean wantsEvents() {
            return wantsEvents;
        }

        @Override
        public void events(String node, List<Notices.Event> heard) {
            nodes.add(node);
            events.addAll(heard);
        }
    }

    private static Heard read(List<String> payloads) {
        return read(payloads, new Heard());
    }

    private static Heard read(List<String> payloads, Heard heard) {
        payloads.forEach(payload -> Notices.read(payload, heard));
        return heard;
    }

    private static List<Notices.Event> events(int count) {
        List<Notices.Event> events = new ArrayList<>();
        TaskEventType[] types = TaskEventType.values();
        for (int i = 0; i < count; i++) {
            events.add(new Notices.Event(types[i % types.length], UUID.randomUUID()));
        }
        return events;
    }

    @Test
    void whetherANotificationSaysWorkIsReadFromItsFlagsAlone() {
        List<Notices.Event> sent = events(3);
        assertThat(Notices.saysWork(Notices.of(true, sent, "node-1").get(0))).isTrue();
        assertThat(Notices.saysWork(Notices.of(true, List.of(), "node-1").get(0)))
                .isTrue();
        assertThat(Notices.saysWork(Notices.of(false, sent, "node-1").get(0))).isFalse();
        assertThat(Notices.saysWork(Notices.of(false, Instant.now().plusSeconds(5), sent, "node-1")
                        .get(0)))
                .as("work later is no work now")
                .isFalse();
        assertThat(Notices.saysWork(Notices.cancelRequest(UUID.randomUUID()))).isFalse();
        assertThat(Notices.saysWork("E:node-1:w")).as("unreadable").isFalse();
        assertThat(Notices.saysWork("")).isFalse();
    }

    @Test
    void aCommitWithoutEventsSendsAtMostTheWordThatThereIsWork() {
        assertThat(Notices.of(true, List.of(), "node-1")).containsExactly("w");
        assertThat(Notices.of(false, List.of(), "node-1")).isEmpty();
    }

    @Test
    void theEventsOfACommitGoInOneNotificationThatAlsoSaysWork() {
        List<Notices.Event> sent = events(TaskEventType.values().length * 3);
        List<String> payloads = Notices.of(true, sent, "node-1");

        assertThat(payloads).hasSize(1);
        Heard heard = read(payloads);
        assertThat(heard.work).isEqualTo(1);
        assertThat(heard.nodes).containsExactly("node-1");
        assertThat(heard.events).containsExactlyElementsOf(sent);
    }

    @Test
    void aCommitThatStoredTasksForLaterSaysWhenTheSoonestIsDue() {
        Instant due = Instant.ofEpochMilli(1_800_000_000_123L);

        assertThat(Notices.of(false, due, List.of(), "n")).containsExactly("@1800000000123");
        Heard both = read(Notices.of(true, due, List.of(), "n"));
        assertThat(both.work).isEqualTo(1);
        assertThat(both.due).containsExactly(due);
        Heard withEvents = read(Notices.of(false, due, events(3), "n"));
        assertThat(withEvents.work).isZero();
        assertThat(withEvents.due).containsExactly(due);
        assertThat(withEvents.events).hasSize(3);
    }

    @Test
    void manyEventsAreSplitOverNotificationsThatEachFitPostgresLimit() {
        List<Notices.Event> sent = events(1000);
        List<String> payloads = Notices.of(false, sent, "a-node-with-a-long-name-".repeat(8));

        assertThat(payloads).hasSizeGreaterThan(1);
        payloads.forEach(payload ->
                assertThat(payload.getBytes(StandardCharsets.UTF_8).length).isLessThan(8000));
        Heard heard = read(payloads);
        assertThat(heard.work).isZero();
        assertThat(heard.events).containsExactlyElementsOf(sent);
    }

    @Test
    void aListenerThatWantsNoEventsReadsOnlyTheFlags() {
        Heard heard = new Heard();
        heard.wantsEvents = false;
        read(Notices.of(true, Instant.ofEpochMilli(5), events(100), "n"), heard);
        read(List.of("e:SUCCEEDED:" + UUID.randomUUID() + ":old-node"), heard);

        assertThat(heard.work).isEqualTo(2);
        assertThat(heard.due).containsExactly(Instant.ofEpochMilli(5));
        assertThat(heard.events).isEmpty();
        assertThat(heard.nodes).isEmpty();
    }

    @Test
    void theClaimsNotificationsAreReadAsStartedEventsAndFitPostgresLimit() {
        String head = Notices.eventsHead("a-node-with-a-long-name-".repeat(8));
        List<UUID> ids = new ArrayList<>();
        StringBuilder payload = new StringBuilder(head);
        for (int i = 0; i < Notices.eventsPerNotice(head); i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            payload.append(i == 0 ? "" : ",")
                    .append(Notices.code(TaskEventType.STARTED))
                    .append(id);
        }

        assertThat(payload.toString().getBytes(StandardCharsets.UTF_8).length).isLessThan(8000);
        Heard heard = read(List.of(payload.toString()));
        assertThat(heard.work).isZero();
        assertThat(heard.events).extracting(Notices.Event::type).containsOnly(TaskEventType.STARTED);
        assertThat(heard.events).extracting(Notices.Event::id).containsExactlyElementsOf(ids);
    }

    @Test
    void cancelRequestsAndTheNotificationsOfEarlierReleasesAreUnderstood() {
        UUID id = UUID.randomUUID();
        Heard heard = read(List.of(
                Notices.cancelRequest(id),
                "e:SUCCEEDED:" + id + ":old-node",
                "e:PROGRESS:" + id + ":old-node",
                "something a newer release says"));

        assertThat(heard.cancels).containsExactly(id);
        assertThat(heard.work)
                .as("an ended task may free its dependants; progress does not")
                .isEqualTo(1);
        assertThat(heard.nodes).containsExactly("old-node", "old-node");
        assertThat(heard.events)
                .containsExactly(
                        new Notices.Event(TaskEventType.SUCCEEDED, id), new Notices.Event(TaskEventType.PROGRESS, id));
    }
}
