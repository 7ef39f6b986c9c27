package io.gobstopper.tasks.store.postgres;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.event.TaskEventType;
import io.gobstopper.tasks.store.SharedStoreSignals;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears the instances' notifications ({@code LISTEN} on the store's channel) on a thread of its own, and tells this
 * instance's engine what they mean: work may be waiting, a cancel was asked for a task claimed here, another instance
 * changed a task. Also words the notifications, so both sides of the channel's small protocol live here: {@code w}
 * (look for work), {@code c:<id>} (cancel requested), {@code e:<event>:<id>:<node>} (a life-cycle change by a node,
 * {@code -} for housekeeping).
 */
final class PostgresListener {

    private static final Logger log = LoggerFactory.getLogger(PostgresTaskStore.class);

    /** A notification that only says: look for work. */
    static final String WORK = "w";

    /** The node of notifications of changes that no instance's workers made (housekeeping). */
    static final String NO_NODE = "-";

    private final DataSource dataSource;
    private final String channel;
    private final String schema;
    private final String nodeId;
    private final Supplier<SharedStoreSignals> signals;
    private final Predicate<UUID> claimedHere;
    private final Function<Set<UUID>, Map<UUID, TaskInfo>> rows;
    private final BooleanSupplier open;
    private Thread thread;

    /**
     * @param claimedHere whether this instance holds a task
     * @param rows reads tasks by id, for the events of other instances
     * @param open whether the store is open; the listener stops once it is not
     */
    PostgresListener(
            DataSource dataSource,
            String channel,
            String schema,
            String nodeId,
            Supplier<SharedStoreSignals> signals,
            Predicate<UUID> claimedHere,
            Function<Set<UUID>, Map<UUID, TaskInfo>> rows,
            BooleanSupplier open) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.schema = schema;
        this.nodeId = nodeId;
        this.signals = signals;
        this.claimedHere = claimedHere;
        this.rows = rows;
        this.open = open;
    }

    /** The notification of a life-cycle change of a task by a node. */
    static String event(TaskEventType type, UUID id, String node) {
        return "e:" + type.name() + ":" + id + ":" + node;
    }

    /** The notification that a cancel was asked for a running task. */
    static String cancelRequest(UUID id) {
        return "c:" + id;
    }

    void start() {
        thread = new Thread(this::listen, "gobstopper-listen");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() {
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Runs on the listener thread: hears the other instances' changes (and this one's) as they commit. */
    private void listen() {
        while (open.getAsBoolean()) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + channel);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                signals.get().workAvailable(); // notifications may have been missed while not listening
                while (open.getAsBoolean()) {
                    PGNotification[] received = pg.getNotifications(500);
                    if (received != null && received.length > 0) {
                        heard(received);
                    }
                }
            } catch (SQLException | RuntimeException ex) {
                if (!open.getAsBoolean()) {
                    return;
                }
                log.warn(
                        "Lost the notifications of the shared task store {}; polling meanwhile, listening again in 1 s:"
                                + " {}",
                        schema,
                        ex.getMessage());
                try {
                    Thread.sleep(1000); // a pause between reconnects, not a synchronisation
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void heard(PGNotification[] received) {
        SharedStoreSignals to = signals.get();
        boolean work = false;
        List<Map.Entry<TaskEventType, UUID>> remote = new ArrayList<>();
        for (PGNotification notification : received) {
            String payload = notification.getParameter();
            if (payload.equals(WORK)) {
                work = true;
            } else if (payload.startsWith("c:")) {
                UUID id = UUID.fromString(payload.substring(2));
                if (claimedHere.test(id)) {
                    to.cancelRequested(id);
                }
            } else if (payload.startsWith("e:")) {
                String[] parts = payload.split(":", 4);
                TaskEventType type = TaskEventType.valueOf(parts[1]);
                work |= type != TaskEventType.PROGRESS && type != TaskEventType.STARTED && type != TaskEventType.RETRY;
                if (!parts[3].equals(nodeId)) {
                    remote.add(Map.entry(type, UUID.fromString(parts[2])));
                }
            }
        }
        if (work) {
            to.workAvailable();
        }
        if (!remote.isEmpty() && to.wantsRemoteEvents()) {
            Set<UUID> ids = new HashSet<>();
            remote.forEach(entry -> ids.add(entry.getValue()));
            Map<UUID, TaskInfo> tasks = rows.apply(ids);
            for (Map.Entry<TaskEventType, UUID> entry : remote) {
                TaskInfo row = tasks.get(entry.getValue());
                if (row != null) {
                    to.remoteEvent(entry.getKey(), row);
                }
            }
        }
    }
}
