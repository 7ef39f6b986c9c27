package io.gobstopper.tasks.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** Sends a transaction's notifications ({@link Notices}) in one round trip; they go out when it commits. */
final class PostgresNotify {

    private PostgresNotify() {}

    static void send(Connection connection, String channel, List<String> notices) throws SQLException {
        if (notices.isEmpty()) {
            return;
        }
        try (PreparedStatement notify =
                connection.prepareStatement("SELECT count(pg_notify(?, p)) FROM unnest(CAST(? AS TEXT[])) p")) {
            notify.setString(1, channel);
            notify.setArray(2, connection.createArrayOf("text", notices.toArray(String[]::new)));
            notify.execute();
        }
    }
}
