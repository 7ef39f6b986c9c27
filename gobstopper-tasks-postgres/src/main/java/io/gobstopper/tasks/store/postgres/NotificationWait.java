package io.gobstopper.tasks.store.postgres;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.PGStream;
import org.postgresql.core.QueryExecutor;
import org.postgresql.core.QueryExecutorBase;
import org.postgresql.core.VisibleBufferedInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for the next notification on a listening pgjdbc connection and reads its payload without taking it: the
 * driver still hands it over as usual.
 *
 * <p>pgjdbc's {@code getNotifications(timeout)} hands over what it read only after a further wait of 1 ms for more
 * (its {@code PGStream.hasMessagePending} polls the socket with a 1 ms timeout once the last message is read), so a
 * notification reached the listener 1.1 ms (median) after its sender's commit, and an idle submit started that much
 * later on another instance. Waiting for the socket and looking at the message in the driver's buffer takes 0.1 ms.
 * The driver offers no public way to do either, so this reaches its stream by reflection; with a driver where that
 * fails, {@link #of} finds none and the listener uses {@code getNotifications} alone, 1 ms slower.
 */
final class NotificationWait {

    private static final Logger log = LoggerFactory.getLogger(NotificationWait.class);
    private static final String UNREACHABLE = "pgjdbc's stream cannot be reached; notifications arrive 1 ms later";
    private static final Field STREAM = field(QueryExecutorBase.class, "pgStream");
    private static final Field INPUT = field(PGStream.class, "pgInput");
    /** The protocol's tag of a notification. */
    private static final int NOTIFICATION = 'A';
    /** Longer payloads are left to the driver (the store's stay under 8,000 bytes). */
    private static final int MAX_MESSAGE = 16 * 1024;

    private final PGStream stream;
    private final VisibleBufferedInputStream input;

    private NotificationWait(PGStream stream, VisibleBufferedInputStream input) {
        this.stream = stream;
        this.input = input;
    }

    /** The wait for this connection, if the driver lets it be reached. */
    static Optional<NotificationWait> of(Connection connection) {
        if (STREAM == null || INPUT == null) {
            return Optional.empty();
        }
        try {
            QueryExecutor executor = connection.unwrap(BaseConnection.class).getQueryExecutor();
            if (executor instanceof QueryExecutorBase base
                    && STREAM.get(base) instanceof PGStream stream
                    && INPUT.get(stream) instanceof VisibleBufferedInputStream input) {
                return Optional.of(new NotificationWait(stream, input));
            }
        } catch (SQLException | ReflectiveOperationException | RuntimeException ex) {
            log.debug(UNREACHABLE, ex);
        }
        return Optional.empty();
    }

    /**
     * Waits up to {@code millis} for a message and, if it is a notification, reads its payload; the message stays
     * unread for the driver. Returns {@code null} if nothing arrived, the payload of a notification, or an empty
     * string for any other message or one that could not be read whole.
     */
    String await(int millis) throws IOException {
        int before = stream.getNetworkTimeout();
        stream.setNetworkTimeout(millis);
        try {
            if (stream.peekChar() != NOTIFICATION || !input.ensureBytes(5)) {
                return "";
            }
            int length = integer(input.getBuffer(), input.getIndex() + 1);
            if (length < 10 || length > MAX_MESSAGE || !input.ensureBytes(1 + length)) {
                return "";
            }
            // after the tag and the length: the sender's process id, the channel and the payload, each text ending in 0
            byte[] buffer = input.getBuffer();
            int end = input.getIndex() + 1 + length;
            int at = input.getIndex() + 9;
            while (at < end && buffer[at] != 0) {
                at++;
            }
            int payload = at + 1;
            int stop = payload;
            while (stop < end && buffer[stop] != 0) {
                stop++;
            }
            return stop < end ? new String(buffer, payload, stop - payload, StandardCharsets.UTF_8) : "";
        } catch (SocketTimeoutException ex) {
            return null;
        } finally {
            stream.setNetworkTimeout(before);
        }
    }

    private static int integer(byte[] buffer, int at) {
        return ((buffer[at] & 0xff) << 24)
                | ((buffer[at + 1] & 0xff) << 16)
                | ((buffer[at + 2] & 0xff) << 8)
                | (buffer[at + 3] & 0xff);
    }

    private static Field field(Class<?> type, String name) {
        try {
            Field field = type.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError ex) {
            LoggerFactory.getLogger(NotificationWait.class).debug(UNREACHABLE, ex);
            return null;
        }
    }
}
