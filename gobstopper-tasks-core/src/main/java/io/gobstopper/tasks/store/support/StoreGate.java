package io.gobstopper.tasks.store.support;

import io.gobstopper.tasks.TaskStoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store's availability gate, a circuit breaker: once an operation fails for lack of a connection to the store's
 * database, the gate refuses every further request at once ({@link #check()} throws
 * {@link TaskStoreUnavailableException}) instead of letting each wait out a connection pool, and a probe thread asks
 * the database every probe interval whether it answers again; its first success lets requests through again and
 * runs what waited for the return ({@link #whenAvailable}). A failure of any other kind (a bad statement, a conflict)
 * leaves the gate as it is.
 */
public final class StoreGate implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StoreGate.class);

    private final String store;
    private final Predicate<Throwable> lostConnection;
    private final Runnable probe;
    private final Duration probeInterval;
    private final Duration retryAfter;
    private final Object lock = new Object();
    private final List<Runnable> waiting = new ArrayList<>();

    private volatile Outage outage;
    private boolean closed;
    private Thread prober;

    /**
     * @param store the store, for messages (e.g. {@code the shared task store gobstopper})
     * @param lostConnection whether a failure means the database cannot be reached (the store knows its driver)
     * @param probe asks the database something small; throws while it does not answer. It should give up within
     *     about the retry-after (a connection timeout bounds it)
     * @param probeInterval the pause between probes
     * @param retryAfter what refused requests are told to wait
     */
    public StoreGate(
            String store,
            Predicate<Throwable> lostConnection,
            Runnable probe,
            Duration probeInterval,
            Duration retryAfter) {
        this.store = store;
        this.lostConnection = lostConnection;
        this.probe = probe;
        this.probeInterval = probeInterval;
        this.retryAfter = retryAfter;
    }

    /** Whether requests go through: the store was not found away, or a probe found it back. */
    public boolean available() {
        return outage == null;
    }

    /** Why the store is away and since when, or {@code null} while it is available. */
    public String problem() {
        Outage now = outage;
        return now == null ? null : now.describe(store);
    }

    /** Refuses at once while the store is away. */
    public void check() {
        Outage now = outage;
        if (now != null) {
            throw now.refusal(store, retryAfter);
        }
    }

    /**
     * Tells the gate of a failed operation: a lost connection closes it and starts the probe.
     *
     * @return the refusal to answer the operation's caller with when the failure was a lost connection (the gate is
     *     now closed), else {@code null}
     */
    public TaskStoreUnavailableException failed(Throwable failure) {
        if (failure == null || !lostConnection.test(failure)) {
            return null;
        }
        Outage now;
        synchronized (lock) {
            if (outage == null && !closed) {
                outage = new Outage(describe(failure), Instant.now(), failure);
                log.warn(
                        "{} is unavailable: {}; requests are refused at once until it answers again (asked every {})",
                        capitalised(store),
                        outage.reason(),
                        probeInterval);
                startProbe();
            }
            now = outage;
        }
        return now == null ? null : now.refusal(store, retryAfter);
    }

    /**
     * Runs {@code action} once the store is available: at once if it is, else on the probe's thread at its return;
     * never once the gate is closed.
     */
    public void whenAvailable(Runnable action) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (outage != null) {
                waiting.add(action);
                return;
            }
        }
        action.run();
    }

    /** How many actions wait for the store's return. */
    public int waiting() {
        synchronized (lock) {
            return waiting.size();
        }
    }

    /** Stops the probe; actions still waiting for the store's return are dropped. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            waiting.clear();
            lock.notifyAll();
        }
    }

    private void startProbe() {
        if (prober != null && prober.isAlive()) {
            return;
        }
        prober = new Thread(this::probeUntilBack, "gobstopper-store-probe");
        prober.setDaemon(true);
        prober.start();
    }

    private void probeUntilBack() {
        while (true) {
            synchronized (lock) {
                try {
                    lock.wait(Math.max(1, probeInterval.toMillis())); // the pause between probes
                } catch (InterruptedException ex) {
                    return;
                }
                if (closed) {
                    return;
                }
            }
            try {
                probe.run();
            } catch (RuntimeException ex) {
                log.debug("{} does not answer yet: {}", capitalised(store), ex.getMessage());
                continue;
            }
            List<Runnable> resumed;
            Outage ended;
            synchronized (lock) {
                ended = outage;
                outage = null;
                resumed = new ArrayList<>(waiting);
                waiting.clear();
                prober = null;
            }
            log.info(
                    "{} answers again after {} ms; requests go through again",
                    capitalised(store),
                    ended == null
                            ? 0
                            : Duration.between(ended.since(), Instant.now()).toMillis());
            for (Runnable action : resumed) {
                try {
                    action.run();
                } catch (RuntimeException ex) {
                    log.warn("An operation waiting for {} failed at its return", store, ex);
                }
            }
            return;
        }
    }

    /** The deepest message: the driver's own words, not the wrappers'; the deepest cause's type when none says. */
    private static String describe(Throwable failure) {
        String message = null;
        Throwable deepest = failure;
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable cause = failure; cause != null && seen.put(cause, true) == null; cause = cause.getCause()) {
            deepest = cause;
            if (cause.getMessage() != null) {
                message = cause.getMessage();
            }
        }
        return message != null ? message : deepest.getClass().getName();
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** Why and since when the store is away. */
    private record Outage(String reason, Instant since, Throwable cause) {

        String describe(String store) {
            return store + " cannot be reached (since " + since + "): " + reason;
        }

        TaskStoreUnavailableException refusal(String store, Duration retryAfter) {
            return new TaskStoreUnavailableException(
                    capitalised(describe(store)) + ". Nothing was done; try again in "
                            + Math.max(1, (retryAfter.toMillis() + 999) / 1000) + " s",
                    cause,
                    retryAfter);
        }
    }
}
