package io.gobstopper.tasks.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.store.jdbc.ConnectionLoss;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class ConnectionLossTests {

    private static RuntimeException wrapped(Throwable cause) {
        return new RuntimeException("the store failed", new RuntimeException("a wrapper", cause));
    }

    @Test
    void aConnectionStateARefusedSocketOrAServerShuttingDownIsALoss() {
        assertThat(ConnectionLoss.isConnectionLoss(wrapped(new SQLException("refused", "08001"))))
                .isTrue();
        assertThat(ConnectionLoss.isConnectionLoss(wrapped(new SQLException("closed", "08003"))))
                .isTrue();
        assertThat(ConnectionLoss.isConnectionLoss(wrapped(new SQLException("terminating", "57P01"))))
                .isTrue();
        assertThat(ConnectionLoss.isConnectionLoss(wrapped(new ConnectException("Connection refused"))))
                .isTrue();
        assertThat(ConnectionLoss.isConnectionLoss(new SQLTransientConnectionException(
                        "pool timed out", "08001", new SQLException("refused", "08001"))))
                .as("a pool timeout because the database is away")
                .isTrue();
    }

    @Test
    void aBusyPoolABadStatementOrAFullDiskIsNoLoss() {
        assertThat(ConnectionLoss.isConnectionLoss(new SQLTransientConnectionException("pool busy, timed out")))
                .isFalse();
        assertThat(ConnectionLoss.isConnectionLoss(wrapped(new SQLException("duplicate key", "23505"))))
                .isFalse();
        assertThat(ConnectionLoss.isConnectionLoss(new UncheckedIOException("File too large", new IOException())))
                .isFalse();
        assertThat(ConnectionLoss.isConnectionLoss(null)).isFalse();
    }
}
