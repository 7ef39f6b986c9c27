package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.store.LiveTask;
import io.gobstopper.tasks.store.SharedTaskStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the workers of this instance from a store shared by several: whenever a category has idle workers it claims
 * that many due tasks (in small batches), and it looks again when told that work may be waiting, when a worker frees
 * up, or after the poll interval. Every poll interval it also runs the store's housekeeping and reads which
 * tasks wait in the store, per category. One thread.
 */
final class Claimer {

    private static final Logger log = LoggerFactory.getLogger(Claimer.class);

    /** The most tasks one claim takes, so that one instance does not hoard a burst the others could share. */
    static final int BATCH = 16;

    private final SharedTaskStore store;
    private final Supplier<Collection<String>> categories;
    private final Function<String, CategoryPool> pools;
    private final InstantSource clock;
    private final StoreQueues queues;
    private final long pollMillis;
    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean stopped;
    private Thread thread;
    private String lastProblem;

    /**
     * @param queues told, after each sweep, of the tasks waiting in the store, and of every claim
     */
    Claimer(
            SharedTaskStore store,
            Supplier<Collection<String>> categories,
            Function<String, CategoryPool> pools,
            InstantSource clock,
            StoreQueues queues) {
        this.store = store;
        this.queues = queues;
        this.categories = categories;
        this.pools = pools;
        this.clock = clock;
        this.pollMillis = Math.max(1, store.pollInterval().toMillis());
    }

    void start() {
        thread = new Thread(this::loop, "gobstopper-claimer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Look for work now. */
    void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    void stop() {
        stopped = true;
        wake();
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(5).toMillis());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        long lastSweep = 0;
        while (!stopped) {
            boolean more = false;
            try {
                long nowMillis = clock.millis();
                if (nowMillis - lastSweep >= pollMillis) {
                    Instant now = clock.instant();
                    store.sweep(now);
                    queues.refresh(store.waiting(now));
                    lastSweep = nowMillis;
                }
                for (String category : categories.get()) {
                    more |= claimFor(pools.apply(category));
                }
                lastProblem = null;
            } catch (RuntimeException ex) {
                if (!String.valueOf(ex.getMessage()).equals(lastProblem)) {
                    log.warn("Could not claim tasks; trying again every {} ms: {}", pollMillis, ex.getMessage());
                    lastProblem = String.valueOf(ex.getMessage());
                }
            }
            if (!more) {
                awaitSignal();
            }
        }
    }

    /**
     * Claims work for the category's idle workers, no more: a task claimed here waits for a worker here, so claiming
     * ahead would hold tasks back from idle instances while this one's workers are busy with long runs. Returns
     * {@code true} if it took a full batch (so more may wait).
     */
    private boolean claimFor(CategoryPool pool) {
        int idle = pool.workers() - pool.running() - pool.queued();
        if (idle <= 0 || stopped) {
            return false;
        }
        int wanted = Math.min(idle, BATCH);
        Instant now = clock.instant();
        List<LiveTask> claimed = store.claim(pool.category(), wanted, now);
        queues.claimed(pool.category(), claimed.size(), claimed.size() < wanted);
        if (!claimed.isEmpty()) {
            pool.enqueue(claimed);
        }
        return claimed.size() == wanted;
    }

    private void awaitSignal() {
        synchronized (signal) {
            try {
                if (!woken && !stopped) {
                    signal.wait(pollMillis);
                }
            } catch (InterruptedException ex) {
                stopped = true;
                Thread.currentThread().interrupt();
            }
            woken = false;
        }
    }
}
