package io.gobstopper.tasks.store.postgres;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.PGStream;
import org.postgresql.core.QueryExecutor;
import org.postgresql.core.QueryExecutorBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for the first byte of the next message on a listening pgjdbc connection, without reading it.
 *
 * <p>pgjdbc's {@code getNotifications(timeout)} hands over what it read only after a further wait of 1 ms for more
 * (its {@code PGStream.hasMessagePending} polls the socket with a 1 ms timeout once the last message is read), so a
 * notification reached the listener 1.1 ms (median) after its sender's commit; measured on this machine, the wait for
 * the socket itself takes 0.1 ms. The driver offers no public way to wait for the socket, so this reaches its stream
 * by reflection; with a driver where that fails, {@link #of} finds none and the listener uses
 * {@code getNotifications} alone, 1 ms slower.
 */
final class NotificationWait {

    private static final Logger log = LoggerFactory.getLogger(NotificationWait.class);
    private static final Field STREAM = streamField();

    private final PGStream stream;

    private NotificationWait(PGStream stream) {
        this.stream = stream;
    }

    /** The wait for this connection, if the driver lets it be reached. */
    static Optional<NotificationWait> of(Connection connection) {
        if (STREAM == null) {
            return Optional.empty();
        }
        try {
            QueryExecutor executor = connection.unwrap(BaseConnection.class).getQueryExecutor();
            if (executor instanceof QueryExecutorBase base && STREAM.get(base) instanceof PGStream stream) {
                return Optional.of(new NotificationWait(stream));
            }
        } catch (SQLException | ReflectiveOperationException | RuntimeException ex) {
            log.debug("pgjdbc's stream cannot be reached; notifications arrive 1 ms later", ex);
        }
        return Optional.empty();
    }

    /**
     * Waits until a byte of a message arrived, for {@code millis} at most; the message stays unread. Returns whether
     * one arrived.
     */
    boolean await(int millis) throws IOException {
        int before = stream.getNetworkTimeout();
        stream.setNetworkTimeout(millis);
        try {
            stream.peekChar();
            return true;
        } catch (SocketTimeoutException ex) {
            return false;
        } finally {
            stream.setNetworkTimeout(before);
        }
    }

    private static Field streamField() {
        try {
            Field field = QueryExecutorBase.class.getDeclaredField("pgStream");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError ex) {
            LoggerFactory.getLogger(NotificationWait.class)
                    .debug("pgjdbc's stream cannot be reached; notifications arrive 1 ms later", ex);
            return null;
        }
    }
}
