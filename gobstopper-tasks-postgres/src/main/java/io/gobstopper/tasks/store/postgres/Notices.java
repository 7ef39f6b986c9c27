package io.gobstopper.tasks.store.postgres;

import io.gobstopper.tasks.event.TaskEventType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The small protocol of the store's notification channel. A commit sends one notification (more only when its events
 * do not fit in one): the commit's events, {@code E:<node>:<w|-|w@ms|@ms>:<code><id>,...}, whose flags say {@code w}
 * (work may be waiting) when it made tasks due and {@code @<epoch ms>} when it stored a task that becomes due later
 * (the soonest); a commit without events sends only its flags ({@code w}, {@code @<ms>}, {@code w@<ms>}). Besides:
 * {@code c:<id>}, a cancel was asked for a running task. A listener reads the flags of every notification and decodes
 * the events only while someone there wants them (an event stream has clients). The notifications of earlier
 * releases ({@code e:<event>:<id>:<node>}) are still understood, for a cluster that is being upgraded.
 */
final class Notices {

    /** Look for work. */
    static final String WORK = "w";

    /** The node of changes that no instance's workers made (housekeeping). */
    static final String NO_NODE = "-";

    /** Room for the events of one notification: PostgreSQL takes up to 8000 bytes. */
    private static final int PAYLOAD_BYTES = 7800;

    private static final String CODES = "STPDFRC"; // in the order of TaskEventType

    /** A task's life-cycle change, as the channel carries it. */
    record Event(TaskEventType type, UUID id) {}

    /** What a notification says, told to the listener. */
    interface Heard {
        void work();

        /** A task becomes due at this time. */
        default void dueAt(Instant due) {}

        default void cancelRequested(UUID id) {}

        /** Whether to decode the events of a notification at all. */
        default boolean wantsEvents() {
            return false;
        }

        /** Changes made by a node ({@link #NO_NODE} for housekeeping). */
        default void events(String node, List<Event> events) {}
    }

    private Notices() {}

    static {
        if (CODES.length() != TaskEventType.values().length) {
            throw new IllegalStateException("every event type needs a code");
        }
    }

    /** Whether a notification says that there is work now; its events are not decoded. */
    static boolean saysWork(String payload) {
        boolean[] work = {false};
        try {
            read(payload, () -> work[0] = true);
        } catch (RuntimeException unreadable) {
            return false; // the listener reads it again, and says so
        }
        return work[0];
    }

    static String cancelRequest(UUID id) {
        return "c:" + id;
    }

    /** The code of an event type in a notification. */
    static char code(TaskEventType type) {
        return CODES.charAt(type.ordinal());
    }

    /** What an events notification of this node without flags begins with; its entries follow. */
    static String eventsHead(String node) {
        return "E:" + node + ":-:";
    }

    /** How many events fit in one notification after the head (each entry a code, an id and a comma). */
    static int eventsPerNotice(String head) {
        return (PAYLOAD_BYTES - head.getBytes(StandardCharsets.UTF_8).length) / 38;
    }

    /** The notifications of one commit: none, {@code w}, or its events (which say {@code w} too when there is work). */
    static List<String> of(boolean work, List<Event> events, String node) {
        return of(work, null, events, node);
    }

    /**
     * The notifications of one commit, as {@link #of(boolean, List, String)}, for a commit that also stored tasks
     * that become due later.
     *
     * @param due when the soonest task the commit stored for later becomes due, or {@code null}
     */
    static List<String> of(boolean work, Instant due, List<Event> events, String node) {
        String flags = (work ? "w" : "") + (due == null ? "" : "@" + due.toEpochMilli());
        if (events.isEmpty()) {
            return flags.isEmpty() ? List.of() : List.of(flags);
        }
        String head = "E:" + node + ":" + (flags.isEmpty() ? "-" : flags) + ":";
        int room = PAYLOAD_BYTES - head.getBytes(StandardCharsets.UTF_8).length;
        List<String> payloads = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (Event event : events) {
            String entry = code(event.type()) + event.id().toString();
            if (body.length() + entry.length() + 1 > room) {
                payloads.add(head + body);
                body.setLength(0);
            }
            if (body.length() > 0) {
                body.append(',');
            }
            body.append(entry);
        }
        payloads.add(head + body);
        return payloads;
    }

    /** Reads the flags {@code w}, {@code @<ms>}, {@code w@<ms>} or {@code -}. */
    private static void flags(String flags, Heard heard) {
        if (flags.startsWith(WORK)) {
            heard.work();
        }
        int at = flags.indexOf('@');
        if (at >= 0) {
            heard.dueAt(Instant.ofEpochMilli(Long.parseLong(flags.substring(at + 1))));
        }
    }

    /** Reads one notification; what it does not know is ignored (a newer release's, say). */
    static void read(String payload, Heard heard) {
        if (payload.startsWith(WORK) || payload.startsWith("@")) {
            flags(payload, heard);
        } else if (payload.startsWith("c:")) {
            heard.cancelRequested(UUID.fromString(payload.substring(2)));
        } else if (payload.startsWith("E:")) {
            String[] parts = payload.split(":", 4);
            if (parts.length < 4) {
                return;
            }
            flags(parts[2], heard);
            if (!heard.wantsEvents()) {
                return;
            }
            List<Event> events = new ArrayList<>();
            for (String entry : parts[3].split(",")) {
                int code = entry.isEmpty() ? -1 : CODES.indexOf(entry.charAt(0));
                if (code >= 0) {
                    events.add(new Event(TaskEventType.values()[code], UUID.fromString(entry.substring(1))));
                }
            }
            heard.events(parts[1], events);
        } else if (payload.startsWith("e:")) { // an instance of an earlier release
            String[] parts = payload.split(":", 4);
            TaskEventType type = TaskEventType.valueOf(parts[1]);
            if (type != TaskEventType.PROGRESS && type != TaskEventType.STARTED && type != TaskEventType.RETRY) {
                heard.work();
            }
            if (heard.wantsEvents()) {
                heard.events(parts[3], List.of(new Event(type, UUID.fromString(parts[2]))));
            }
        }
    }
}
