package io.gobstopper.tasks.store.jdbc;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.Map;

/** Tells a failure for lack of a connection to the database from every other failure of a JDBC store. */
public final class ConnectionLoss {

    private ConnectionLoss() {}

    /**
     * Whether a failure means the database cannot be reached: somewhere in its causes a SQL state of class 08
     * (connection exception) or 57P01-57P03 (the server shuts down or starts), or a refused, reset or closed socket.
     * A pool that timed out only because all its connections were busy is not a loss: HikariCP then gives no cause.
     */
    public static boolean isConnectionLoss(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable cause = failure; cause != null && seen.put(cause, true) == null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
                    return true;
                }
            }
            if (cause instanceof ConnectException
                    || cause instanceof NoRouteToHostException
                    || cause instanceof SocketException
                    || cause instanceof EOFException) {
                return true;
            }
        }
        return false;
    }
}
