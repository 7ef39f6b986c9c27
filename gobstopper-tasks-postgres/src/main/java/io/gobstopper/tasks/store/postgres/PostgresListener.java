package io.gobstopper.tasks.store.postgres;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.store.SharedStoreSignals;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears the instances' notifications ({@code LISTEN} on the store's channel, see {@link Notices}) on a thread of its
 * own, and tells this instance's engine what they mean: work may be waiting, a cancel was asked for a task claimed
 * here, another instance changed a task (read only while someone here wants to hear of it). Wake-ups are coalesced:
 * everything heard at once wakes the engine once.
 */
final class PostgresListener {

    private static final Logger log = LoggerFactory.getLogger(PostgresTaskStore.class);

    private final DataSource dataSource;
    private final String channel;
    private final String schema;
    private final String nodeId;
    private final Supplier<SharedStoreSignals> signals;
    private final Predicate<UUID> claimedHere;
    private final Function<Set<UUID>, Map<UUID, TaskInfo>> rows;
    private final BooleanSupplier open;
    private final Consumer<Throwable> failed;
    private Thread thread;

    /**
     * @param claimedHere whether this instance holds a task
     * @param rows reads tasks by id, for the events of other instances
     * @param open whether the store is open; the listener stops once it is not
     * @param failed told why listening failed: a lost connection is often heard here first
     */
    PostgresListener(
            DataSource dataSource,
            String channel,
            String schema,
            String nodeId,
            Supplier<SharedStoreSignals> signals,
            Predicate<UUID> claimedHere,
            Function<Set<UUID>, Map<UUID, TaskInfo>> rows,
            BooleanSupplier open,
            Consumer<Throwable> failed) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.schema = schema;
        this.nodeId = nodeId;
        this.signals = signals;
        this.claimedHere = claimedHere;
        this.rows = rows;
        this.open = open;
        this.failed = failed;
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
                NotificationWait wait = NotificationWait.of(connection).orElse(null);
                signals.get().workAvailable(); // notifications may have been missed while not listening
                while (open.getAsBoolean()) {
                    boolean woken = false;
                    if (wait != null) {
                        String first = wait.await(500);
                        if (first == null) {
                            continue;
                        }
                        if (Notices.saysWork(first)) {
                            // look for the work now, not once the driver hands the notification over
                            signals.get().workAvailable();
                            woken = true;
                        }
                    }
                    PGNotification[] received = pg.getNotifications(500);
                    if (received != null && received.length > 0) {
                        heard(received, woken && received.length == 1);
                    }
                }
            } catch (SQLException | IOException | RuntimeException ex) {
                if (!open.getAsBoolean()) {
                    return;
                }
                failed.accept(ex);
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

    /** @param woken whether the engine was told of the work these notifications tell of already */
    private void heard(PGNotification[] received, boolean woken) {
        SharedStoreSignals to = signals.get();
        boolean wantsEvents = to.wantsRemoteEvents();
        Heard heard = new Heard(to, wantsEvents);
        for (PGNotification notification : received) {
            try {
                Notices.read(notification.getParameter(), heard);
            } catch (RuntimeException ex) {
                log.debug("Ignored a notification that could not be read: {}", notification.getParameter(), ex);
            }
        }
        if (heard.work && !woken) {
            to.workAvailable();
        }
        if (!heard.remote.isEmpty()) {
            Set<UUID> ids = new HashSet<>();
            heard.remote.forEach(event -> ids.add(event.id()));
            Map<UUID, TaskInfo> tasks = rows.apply(ids);
            for (Notices.Event event : heard.remote) {
                TaskInfo row = tasks.get(event.id());
                if (row != null) {
                    to.remoteEvent(event.type(), row);
                }
            }
        }
    }

    /** What one batch of notifications said. */
    private final class Heard implements Notices.Heard {
        private final SharedStoreSignals to;
        private final boolean wantsEvents;
        private final List<Notices.Event> remote = new ArrayList<>();
        private boolean work;

        Heard(SharedStoreSignals to, boolean wantsEvents) {
            this.to = to;
            this.wantsEvents = wantsEvents;
        }

        @Override
        public void work() {
            work = true;
        }

        @Override
        public void dueAt(Instant due) {
            to.workDueAt(due);
        }

        @Override
        public void cancelRequested(UUID id) {
            if (claimedHere.test(id)) {
                to.cancelRequested(id);
            }
        }

        @Override
        public boolean wantsEvents() {
            return wantsEvents;
        }

        @Override
        public void events(String node, List<Notices.Event> events) {
            if (wantsEvents && !node.equals(nodeId)) {
                remote.addAll(events);
            }
        }
    }
}
