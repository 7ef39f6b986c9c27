package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.store.LiveTask;
import io.gobstopper.tasks.store.SharedTaskStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the workers of this instance from a store shared by several: one claim takes due tasks for the free workers
 * of every category at once, and it looks again when told that work may be waiting, when a worker frees up, or after
 * the poll interval, or when the soonest delayed task in the store is due; one thread. Every poll interval a second
 * thread runs the store's housekeeping and reads which tasks wait in the store, per category (and under names not
 * registered here), so that those
 * statements never hold up a claim.
 *
 * <p>While a category's runs are short it claims a little ahead: as many tasks more than its free workers as they
 * get through in {@link #AHEAD_HORIZON} (at most {@link #AHEAD_PER_WORKER} per worker), topped up once half of them
 * are gone, so one claim (one commit) feeds many runs. Tasks claimed ahead are the instance's and wait for its
 * workers; so that workers stuck in long runs hold none back from the other instances, ahead claims stop once no run
 * has ended for {@link #HOLD_LIMIT}, and tasks that waited here that long are given back to the store.
 */
final class Claimer {

    private static final Logger log = LoggerFactory.getLogger(Claimer.class);

    /** How much work, in time, a category claims beyond its free workers while its runs are short. */
    static final Duration AHEAD_HORIZON = Duration.ofMillis(50);

    /** The most tasks claimed ahead per worker. */
    static final int AHEAD_PER_WORKER = 64;

    /**
     * How long a claimed task may wait here for a worker before it is given back, and how long without a run ending
     * stops claiming ahead.
     */
    static final Duration HOLD_LIMIT = Duration.ofSeconds(1);

    private final SharedTaskStore store;
    private final Supplier<Collection<String>> categories;
    private final Supplier<List<String>> runnableNames;
    private final Runnable readUnrunnable;
    private final Function<String, CategoryPool> pools;
    private final InstantSource clock;
    private final StoreQueues queues;
    private final long pollMillis;
    private final Object signal = new Object();
    private boolean woken;
    /**
     * When the soonest delayed task in the store becomes due (epoch millis); 0 for none, -1 to read it again. Guarded
     * by {@link #signal}.
     */
    private long nextDueMillis;

    /**
     * The categories whose last claim found fewer due tasks than it asked for, with no word of new work since: a
     * worker freeing up there is no reason to look again. Any word of work, a due time reached and every poll clear
     * it.
     */
    private final Set<String> exhausted = ConcurrentHashMap.newKeySet();
    /** Counts the words of work, so that a claim knows whether one came while it ran. */
    private final AtomicLong workWords = new AtomicLong();

    private volatile boolean stopped;
    private Thread thread;
    private Thread sweeper;
    private final Object sweepSignal = new Object();
    private String lastProblem;

    /**
     * @param runnableNames the task names (and aliases) registered here: only tasks of these names are claimed
     * @param queues told, after each sweep, of the tasks waiting in the store, and of every claim
     * @param readUnrunnable reads, after each sweep, the tasks waiting in the store under other names
     */
    Claimer(
            SharedTaskStore store,
            Supplier<Collection<String>> categories,
            Supplier<List<String>> runnableNames,
            Function<String, CategoryPool> pools,
            InstantSource clock,
            StoreQueues queues,
            Runnable readUnrunnable) {
        this.store = store;
        this.runnableNames = runnableNames;
        this.readUnrunnable = readUnrunnable;
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
        sweeper = new Thread(this::sweepLoop, "gobstopper-sweeper");
        sweeper.setDaemon(true);
        sweeper.start();
    }

    /** A task in the store becomes due at this time: look for work then (sooner than the next poll, say). */
    void dueAt(Instant due) {
        synchronized (signal) {
            long at = millisAtOrAfter(due);
            if (nextDueMillis == 0 || (nextDueMillis > 0 && at < nextDueMillis)) {
                nextDueMillis = at;
                signal.notifyAll(); // to wait for the sooner time
            }
        }
    }

    /** The first millisecond at or after the instant: a wait that ends then finds the task due. */
    private static long millisAtOrAfter(Instant instant) {
        return instant.toEpochMilli() + (instant.getNano() % 1_000_000 == 0 ? 0 : 1);
    }

    /** Work may be waiting: look for it now. */
    void wake() {
        workWords.incrementAndGet();
        exhausted.clear();
        signal();
    }

    /**
     * A worker of the category freed up, or an outcome no longer holds room: look again, unless the category's last
     * claim found less than it asked for and no work was heard of since.
     */
    void roomFreed(String category) {
        if (!exhausted.contains(category)) {
            signal();
        }
    }

    private void signal() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    void stop() {
        stopped = true;
        signal();
        synchronized (sweepSignal) {
            sweepSignal.notifyAll();
        }
        for (Thread running : new Thread[] {thread, sweeper}) {
            if (running != null) {
                try {
                    running.join(Duration.ofSeconds(5).toMillis());
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private void loop() {
        long lastPoll = 0;
        while (!stopped) {
            boolean more = false;
            try {
                long nowMillis = clock.millis();
                if (nowMillis - lastPoll >= pollMillis) {
                    exhausted.clear(); // the poll: look whatever was heard
                    setNextDue(-1);
                    lastPoll = nowMillis;
                }
                Instant now = clock.instant();
                more = claim(now);
                if (nextDue() < 0) { // after the claim, which took what was due at the same instant
                    setNextDue(store.nextDue(now).map(Claimer::millisAtOrAfter).orElse(0L));
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
     * The housekeeping, on a thread of its own so that its statements never hold up a claim: every poll interval the
     * store's sweep, then the tasks waiting in the store.
     */
    private void sweepLoop() {
        String problem = null;
        while (!stopped) {
            try {
                Instant now = clock.instant();
                store.sweep(now);
                queues.refresh(store.waiting(now, runnableNames.get()));
                readUnrunnable.run();
                problem = null;
            } catch (RuntimeException ex) {
                if (!String.valueOf(ex.getMessage()).equals(problem)) {
                    log.warn(
                            "Could not sweep the task store; trying again every {} ms: {}",
                            pollMillis,
                            ex.getMessage());
                    problem = String.valueOf(ex.getMessage());
                }
            }
            synchronized (sweepSignal) {
                try {
                    if (!stopped) {
                        sweepSignal.wait(pollMillis);
                    }
                } catch (InterruptedException ex) {
                    return;
                }
            }
        }
    }

    /**
     * Gives back what waited too long, then claims for every category that wants tasks, in one claim. Returns
     * {@code true} if some category got all it asked for (so more may wait).
     */
    private boolean claim(Instant now) {
        Map<String, CategoryPool> wanting = new LinkedHashMap<>();
        Map<String, Integer> wanted = new LinkedHashMap<>();
        for (String category : categories.get()) {
            CategoryPool pool = pools.apply(category);
            giveBackHeld(pool);
            int want = want(pool);
            if (want > 0 && !stopped) {
                wanting.put(category, pool);
                wanted.put(category, want);
            }
        }
        if (wanted.isEmpty()) {
            return false;
        }
        long words = workWords.get();
        List<LiveTask> claimed = store.claim(wanted, runnableNames.get(), now);
        boolean heardMeanwhile = workWords.get() != words;
        Map<String, List<LiveTask>> byCategory = new LinkedHashMap<>();
        for (LiveTask task : claimed) {
            byCategory
                    .computeIfAbsent(task.category(), name -> new ArrayList<>())
                    .add(task);
        }
        boolean more = false;
        for (Map.Entry<String, Integer> want : wanted.entrySet()) {
            List<LiveTask> got = byCategory.getOrDefault(want.getKey(), List.of());
            queues.claimed(want.getKey(), got.size(), got.size() < want.getValue());
            if (got.size() < want.getValue() && !heardMeanwhile) {
                exhausted.add(want.getKey());
            } else {
                exhausted.remove(want.getKey());
            }
            if (!got.isEmpty()) {
                wanting.get(want.getKey()).enqueue(got);
            }
            more |= got.size() == want.getValue();
        }
        return more;
    }

    /**
     * How many tasks to claim for a category: one per free worker, and while its runs are short (and a run ended
     * lately) up to its ahead allowance, once half of that is used up.
     */
    static int want(CategoryPool pool) {
        return want(pool, 0);
    }

    /**
     * As {@link #want(CategoryPool)}, with {@code finishing} of the runs counted as done already (a worker that is
     * finishing its task).
     */
    static int want(CategoryPool pool, int finishing) {
        int workers = pool.workers();
        int running = Math.max(0, pool.running() - finishing);
        int queued = pool.queued();
        int ahead = ahead(pool);
        int free = workers - running - queued;
        if (free <= 0 && (ahead == 0 || queued > ahead / 2)) {
            return 0;
        }
        // runs whose outcomes the store has yet to confirm still hold their claims: bound them too, so that a slow
        // store slows the claims instead of letting this instance claim everything
        int held = running + queued + pool.recording();
        return Math.max(0, Math.min(workers + ahead - running - queued, 2 * (workers + ahead) - held));
    }

    /** How many tasks the category may hold beyond its workers: what they get through in the horizon. */
    static int ahead(CategoryPool pool) {
        long mean = pool.meanRunNanos();
        if (mean < 0 || pool.rateLimited() || pool.sinceLastRunNanos() > HOLD_LIMIT.toNanos()) {
            return 0;
        }
        long workers = pool.workers();
        long within = workers * AHEAD_HORIZON.toNanos() / Math.max(1, mean);
        return (int) Math.min(workers * AHEAD_PER_WORKER, within);
    }

    /** Gives back to the store the tasks that waited here longer than the hold limit: the workers are stuck. */
    private void giveBackHeld(CategoryPool pool) {
        if (pool.rateLimited() || pool.queued() == 0) {
            return; // a rate-limited queue waits for its tokens, not for stuck workers
        }
        List<LiveTask> held = pool.takeWaitingLongerThan(HOLD_LIMIT.toNanos());
        if (held.isEmpty()) {
            return;
        }
        store.unclaim(held);
        log.info(
                "Gave back {} claimed tasks of category {} that waited more than {} ms for a worker here (its {} "
                        + "workers are busy): any instance runs them now",
                held.size(),
                pool.category(),
                TimeUnit.NANOSECONDS.toMillis(HOLD_LIMIT.toNanos()),
                pool.workers());
    }

    /** When the soonest delayed task is due (epoch millis), 0 for none, -1 when it is to be read again. */
    private long nextDue() {
        synchronized (signal) {
            return nextDueMillis;
        }
    }

    /** @param millis when the next delayed task is due as read from the store, 0 for none, or -1 to read it again */
    private void setNextDue(long millis) {
        synchronized (signal) {
            if (millis < 0
                    || (millis == 0 && nextDueMillis < 0)
                    || (millis > 0 && (nextDueMillis <= 0 || millis < nextDueMillis))) {
                nextDueMillis = millis; // a sooner time heard meanwhile is kept
            }
        }
    }

    /** Waits to be woken, for the poll interval at most, and no longer than until the soonest delayed task is due. */
    private void awaitSignal() {
        synchronized (signal) {
            try {
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pollMillis);
                while (!woken && !stopped) {
                    long wait = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (nextDueMillis > 0) {
                        long untilDue = nextDueMillis - clock.millis();
                        if (untilDue <= 0) {
                            nextDueMillis = -1; // due now: claim it, then look for the next
                            exhausted.clear();
                            break;
                        }
                        wait = Math.min(wait, untilDue);
                    }
                    if (wait <= 0) {
                        break;
                    }
                    signal.wait(wait); // a sooner due time wakes it to wait less
                }
            } catch (InterruptedException ex) {
                stopped = true;
                Thread.currentThread().interrupt();
            }
            woken = false;
        }
    }
}
