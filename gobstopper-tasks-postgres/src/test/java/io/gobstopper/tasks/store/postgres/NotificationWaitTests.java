package io.gobstopper.tasks.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The listener's look at the next notification before the driver hands it over, on the driver this module is built with (through a Hikari pool, as an
 * application has it): a driver upgrade that hides pgjdbc's stream fails here, instead of making every notification
 * quietly 1 ms slower.
 */
class NotificationWaitTests {

    private final PostgresDatabase database = PostgresDatabase.create(3);

    @AfterEach
    void drop() {
        database.close();
    }

    @Test
    void readsTheNextNotificationAndLeavesItToTheDriver() throws Exception {
        try (Connection listening = database.dataSource().getConnection();
                Connection sending = database.dataSource().getConnection()) {
            try (Statement statement = listening.createStatement()) {
                statement.execute("LISTEN wait_test");
            }
            NotificationWait wait = NotificationWait.of(listening).orElseThrow();

            assertThat(wait.await(50)).as("nothing was sent yet").isNull();

            CompletableFuture<String> arrived = CompletableFuture.supplyAsync(() -> {
                try {
                    return wait.await(10_000);
                } catch (java.io.IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            });
            try (Statement statement = sending.createStatement()) {
                statement.execute("NOTIFY wait_test, 'hellø'");
            }
            assertThat(arrived.get(10, TimeUnit.SECONDS)).isEqualTo("hellø");
            assertThat(wait.await(50)).as("looking again finds it still there").isEqualTo("hellø");

            PGNotification[] received = listening.unwrap(PGConnection.class).getNotifications(1000);
            assertThat(received).extracting(PGNotification::getParameter).containsExactly("hellø");
            assertThat(wait.await(50)).as("the driver took it").isNull();
            try (Statement statement = listening.createStatement()) { // the connection still works as before
                statement.execute("UNLISTEN wait_test");
            }
            assertThat(listening.getNetworkTimeout())
                    .as("the socket's timeout is put back")
                    .isZero();
        }
    }
}
