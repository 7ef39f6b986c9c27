package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.TaskPriority;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.store.LiveTask;
import io.gobstopper.tasks.store.TaskBacklog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One category's queue and workers. Waiting tasks are ordered by priority, then by arrival; with priority aging a
 * waiting task gains one level per aging interval, so LOW work is not postponed forever by a steady stream of HIGH
 * work (equal effective priorities go oldest first). An optional rate limit (a token bucket) bounds how many tasks
 * start per period. Workers start with the first task and the pool can be resized while it runs: extra workers
 * start at once, surplus workers leave after their current task.
 *
 * <p>With a store that keeps a {@link TaskBacklog}, each priority's FIFO holds at most the store's window of tasks:
 * a task past it, or one arriving while older tasks of its priority wait in the backlog, is spilled to the store, and
 * the FIFO is read back from the store in order once it is down to half the window. A task read back ages from when
 * it became due, as if it had waited here all along.
 */
final class CategoryPool {

    private static final Logger log = LoggerFactory.getLogger(CategoryPool.class);

    private record Entry(LiveTask task, long enqueuedNanos) {}

    /** Most tasks one page of the backlog brings: a page is read on the store's writer thread, which waits for it. */
    private static final int MAX_PAGE = 10_000;

    private final String category;
    private final Consumer<LiveTask> runner;
    private final long agingNanos;
    private final RateLimit rate;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();
    /** One FIFO per priority level, LOW (index 0) to CRITICAL. */
    private final List<ArrayDeque<Entry>> levels = new ArrayList<>();
    /** Where tasks past the window wait, or {@code null} to hold every waiting task here. */
    private final TaskBacklog backlog;
    /** The most tasks per priority held here when there is a backlog. */
    private final int window;
    /** Per priority level: whether a page of the backlog is being read back. */
    private final boolean[] paging = new boolean[TaskPriority.values().length];

    private final Map<Thread, LiveTask> running = new ConcurrentHashMap<>();
    /** Workers given up on while stuck in a run; each leaves once its run returns. */
    private final java.util.Set<Thread> abandoned = ConcurrentHashMap.newKeySet();

    private final List<Thread> workers = new ArrayList<>();
    private int queued;
    private int target;
    private int threadNumber;
    private int idle;
    private boolean stopping;
    /** Runs that ended and whose outcome the store has not confirmed yet (a store that writes many at a time). */
    private final AtomicInteger recording = new AtomicInteger();

    /** How long runs take, a moving average over the latest runs; -1 before the first run ends. */
    private volatile long meanRunNanos = -1;
    /** When the latest run ended ({@link System#nanoTime()}). */
    private volatile long lastRunEndedNanos = System.nanoTime();

    /** Starts the rate limit allows now (token bucket), and when it was last topped up. */
    private double tokens;

    private long toppedUpNanos;

    /**
     * @param category the category's name, used in thread names
     * @param workers the initial size
     * @param agingInterval a waiting task gains a priority level per interval; zero for no aging
     * @param rate the most starts per period, or {@code null}
     * @param runner runs one task on the calling worker
     */
    CategoryPool(String category, int workers, Duration agingInterval, RateLimit rate, Consumer<LiveTask> runner) {
        this(category, workers, agingInterval, rate, runner, null);
    }

    /** @param backlog where tasks past the store's window wait, or {@code null} to hold every waiting task here */
    CategoryPool(
            String category,
            int workers,
            Duration agingInterval,
            RateLimit rate,
            Consumer<LiveTask> runner,
            TaskBacklog backlog) {
        this.backlog = backlog != null && backlog.window() > 0 ? backlog : null;
        this.window = this.backlog == null ? 0 : backlog.window();
        this.category = category;
        this.target = workers;
        this.agingNanos = agingInterval.toNanos();
        this.rate = rate;
        this.runner = runner;
        for (int i = 0; i < TaskPriority.values().length; i++) {
            levels.add(new ArrayDeque<>());
        }
        this.tokens = rate == null ? 0 : rate.permits();
        this.toppedUpNanos = System.nanoTime();
    }

    /** Queues tasks for this category's workers, in the given order within a priority. */
    void enqueue(List<LiveTask> tasks) {
        lock.lock();
        try {
            long now = System.nanoTime();
            List<LiveTask> spilled = null;
            for (LiveTask task : tasks) {
                int level = task.priority().level() - 1;
                if (spills(level)) {
                    if (spilled == null) {
                        spilled = new ArrayList<>();
                    }
                    spilled.add(task);
                } else {
                    levels.get(level).addLast(new Entry(task, now));
                }
            }
            int added = tasks.size() - (spilled == null ? 0 : spilled.size());
            if (spilled != null) {
                backlog.spill(spilled); // under the lock: the next task of its priority sees the backlog
            }
            queued += added;
            if (added > 0) {
                startWorkers();
            }
            // wake only as many idle workers as there is new work: a wake-up no task needs is a context switch
            for (int i = Math.min(added, idle); i > 0; i--) {
                available.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether a new task of the level waits in the backlog rather than here: its FIFO is full, or older tasks of its
     * priority wait in the backlog (or are being read back), and FIFO order holds across the two. Under the lock.
     */
    private boolean spills(int level) {
        return backlog != null
                && (levels.get(level).size() >= window
                        || paging[level]
                        || backlog.spilled(category, TaskPriority.ofLevel(level + 1)) > 0);
    }

    /** Reads the backlog back into every level that runs low, e.g. when the engine starts on a stored backlog. */
    void refill() {
        if (backlog == null) {
            return;
        }
        lock.lock();
        try {
            for (int level = 0; level < levels.size(); level++) {
                refill(level);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Starts reading a page of the backlog back when the level is down to half the window. Under the lock. */
    private void refill(int level) {
        if (backlog == null || paging[level] || stopping) {
            return;
        }
        int held = levels.get(level).size();
        TaskPriority priority = TaskPriority.ofLevel(level + 1);
        if (held > window / 2 || backlog.spilled(category, priority) == 0) {
            return;
        }
        paging[level] = true;
        CompletableFuture<List<LiveTask>> page;
        try {
            page = backlog.page(category, priority, Math.min(window - held, MAX_PAGE));
        } catch (RuntimeException ex) {
            page = CompletableFuture.failedFuture(ex);
        }
        page.whenComplete((tasks, failure) -> paged(level, tasks, failure));
    }

    /** A page of the backlog was read back: its tasks join the level's FIFO, behind the tasks held already. */
    private void paged(int level, List<LiveTask> tasks, Throwable failure) {
        lock.lock();
        try {
            paging[level] = false;
            if (failure != null) {
                if (!stopping) {
                    log.warn(
                            "Reading the waiting tasks of category {} back from the store failed; trying again in 1 s: "
                                    + "{}",
                            category,
                            failure.toString());
                    CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(this::refill);
                }
                return;
            }
            ArrayDeque<Entry> queue = levels.get(level);
            long now = System.nanoTime();
            Instant wallNow = Instant.now();
            Entry last = queue.peekLast();
            boolean any = last != null;
            long latest = any ? last.enqueuedNanos() : 0;
            int added = 0;
            for (LiveTask task : tasks) {
                TaskStatus status = task.status();
                if (status != TaskStatus.PENDING && status != TaskStatus.RETRY) {
                    continue; // cancelled between the reading and now
                }
                Instant due = task.runAt() != null && task.runAt().isAfter(task.createdAt())
                        ? task.runAt()
                        : task.createdAt();
                long waited =
                        wallNow.isAfter(due) ? Duration.between(due, wallNow).toNanos() : 0;
                long since = now - waited;
                if (any && since - latest < 0) {
                    since = latest; // a FIFO's head has waited longest, as aging expects
                }
                queue.addLast(new Entry(task, since));
                latest = since;
                any = true;
                added++;
            }
            queued += added;
            backlog.held(category, TaskPriority.ofLevel(level + 1), tasks.size());
            if (added > 0) {
                startWorkers();
            }
            available.signalAll(); // workers that waited for this page, whatever it holds
            refill(level);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether a priority whose head could win has its tasks only in the backlog for now, its page on the way: then the
     * workers wait for the page rather than run another priority first. Without aging only a priority above every one
     * held here could win; with aging any could (its head may have aged past the others). Under the lock.
     */
    private boolean awaitsPage() {
        if (backlog == null) {
            return false;
        }
        for (int level = levels.size() - 1; level >= 0; level--) {
            if (!levels.get(level).isEmpty()) {
                if (agingNanos == 0) {
                    return false;
                }
                continue;
            }
            if (!paging[level] && backlog.spilled(category, TaskPriority.ofLevel(level + 1)) > 0) {
                refill(level);
            }
            if (paging[level]) {
                return true;
            }
        }
        return false;
    }

    /** How many of this category's waiting tasks are in the store's backlog rather than here. */
    long backlogged() {
        if (backlog == null) {
            return 0;
        }
        return backlog.spilled(category, TaskPriority.LOW)
                + backlog.spilled(category, TaskPriority.NORMAL)
                + backlog.spilled(category, TaskPriority.HIGH)
                + backlog.spilled(category, TaskPriority.CRITICAL);
    }

    /** Records a run's time (races between workers only blur the average). */
    private void ran(long beganNanos) {
        long ended = System.nanoTime();
        long took = ended - beganNanos;
        long mean = meanRunNanos;
        meanRunNanos = mean < 0 ? took : mean + (took - mean) / 8;
        lastRunEndedNanos = ended;
    }

    /** How long runs take, on average over the latest ones; -1 before the first run ended. */
    long meanRunNanos() {
        return meanRunNanos;
    }

    /** How long ago the latest run ended (or the pool was made). */
    long sinceLastRunNanos() {
        return System.nanoTime() - lastRunEndedNanos;
    }

    /** A run's outcome went to the store, which has yet to confirm it. */
    void recordingStarted() {
        recording.incrementAndGet();
    }

    /** The store confirmed (or refused) an outcome. */
    void recordingEnded() {
        recording.decrementAndGet();
    }

    /** Outcomes of runs that the store has yet to confirm. */
    int recording() {
        return recording.get();
    }

    boolean rateLimited() {
        return rate != null;
    }

    /** Takes the waiting tasks that have waited longer than {@code nanos} off the queue. */
    List<LiveTask> takeWaitingLongerThan(long nanos) {
        lock.lock();
        try {
            long now = System.nanoTime();
            List<LiveTask> taken = new ArrayList<>();
            for (ArrayDeque<Entry> level : levels) {
                level.removeIf(entry -> {
                    boolean old = now - entry.enqueuedNanos() > nanos;
                    if (old) {
                        taken.add(entry.task());
                    }
                    return old;
                });
            }
            queued -= taken.size();
            for (int level = 0; level < levels.size(); level++) {
                refill(level);
            }
            return taken;
        } finally {
            lock.unlock();
        }
    }

    /** Drops a waiting task from the queue; returns whether it was there. */
    boolean remove(UUID id) {
        lock.lock();
        try {
            for (ArrayDeque<Entry> level : levels) {
                if (level.removeIf(entry -> entry.task().id().equals(id))) {
                    queued--;
                    refill(levels.indexOf(level));
                    return true;
                }
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Sets the number of workers. */
    void resize(int workers) {
        lock.lock();
        try {
            target = workers;
            if (queued > 0) {
                startWorkers();
            }
            available.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void startWorkers() {
        while (!stopping && workers.size() < target) {
            Thread thread = new Thread(this::work, "gobstopper-" + category + "-" + (++threadNumber));
            thread.setDaemon(true);
            workers.add(thread);
            thread.start();
        }
    }

    private void work() {
        Thread self = Thread.currentThread();
        while (true) {
            LiveTask task = next(self);
            if (task == null) {
                return;
            }
            running.put(self, task);
            long began = System.nanoTime();
            try {
                runner.accept(task);
            } catch (Throwable ex) {
                log.error("Worker {} failed outside a task; it carries on", self.getName(), ex);
            } finally {
                ran(began);
                running.remove(self);
                Thread.interrupted(); // an interrupt meant for the finished task must not hit the next one
            }
            if (abandoned.remove(self)) {
                return; // another worker took this one's place meanwhile
            }
        }
    }

    /**
     * Gives up on a worker stuck in a run that ignores interrupts: it no longer counts as one of the category's
     * workers or runs, a new worker takes its place, and it leaves once its run returns.
     */
    void abandon(Thread worker) {
        lock.lock();
        try {
            if (workers.remove(worker)) {
                abandoned.add(worker);
                running.remove(worker);
                startWorkers();
                available.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The next task for this worker, or {@code null} when the worker is to leave. */
    private LiveTask next(Thread self) {
        lock.lock();
        try {
            while (true) {
                if (stopping || workers.size() > target) {
                    workers.remove(self);
                    return null;
                }
                long waitNanos = awaitsPage() || queued == 0 ? -1 : untilStartAllowed();
                if (waitNanos == 0) {
                    return poll().task();
                }
                idle++;
                try {
                    if (waitNanos < 0) {
                        available.awaitUninterruptibly();
                    } else {
                        awaitNanosUninterruptibly(waitNanos);
                    }
                } finally {
                    idle--;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** How long until the rate limit allows the next start; 0 if it does now (and takes the start). */
    private long untilStartAllowed() {
        if (rate == null) {
            return 0;
        }
        long now = System.nanoTime();
        long interval = rate.intervalNanos();
        tokens = Math.min(rate.permits(), tokens + (double) (now - toppedUpNanos) / interval);
        toppedUpNanos = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) ((1 - tokens) * interval));
    }

    private void awaitNanosUninterruptibly(long nanos) {
        try {
            available.awaitNanos(nanos);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Takes the waiting task with the highest effective priority: its level plus one per aging interval waited.
     * Within a level the oldest is first, so only the heads compete; a tie goes to the older task.
     */
    private Entry poll() {
        long now = System.nanoTime();
        ArrayDeque<Entry> best = null;
        long bestPriority = Long.MIN_VALUE;
        long bestSince = 0;
        for (int level = levels.size() - 1; level >= 0; level--) {
            Entry head = levels.get(level).peekFirst();
            if (head == null) {
                continue;
            }
            long effective = level + (agingNanos > 0 ? (now - head.enqueuedNanos()) / agingNanos : 0);
            if (best == null
                    || effective > bestPriority
                    || (effective == bestPriority && head.enqueuedNanos() - bestSince < 0)) {
                best = levels.get(level);
                bestPriority = effective;
                bestSince = head.enqueuedNanos();
            }
            if (agingNanos == 0) {
                break; // without aging the highest non-empty level wins
            }
        }
        queued--;
        Entry next = best.pollFirst();
        if (backlog != null) {
            refill(levels.indexOf(best));
        }
        return next;
    }

    /** How long the task that has waited longest in this queue has waited; zero when none waits. */
    Duration oldestWait() {
        lock.lock();
        try {
            long now = System.nanoTime();
            long longest = 0;
            for (ArrayDeque<Entry> level : levels) {
                Entry head = level.peekFirst(); // each level is a FIFO: its head has waited longest
                if (head != null) {
                    longest = Math.max(longest, now - head.enqueuedNanos());
                }
            }
            return Duration.ofNanos(longest);
        } finally {
            lock.unlock();
        }
    }

    /** Stops handing out tasks; running ones finish. Waiting tasks stay stored and are picked up at the next start. */
    void stop() {
        lock.lock();
        try {
            stopping = true;
            available.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until every worker has left, or the deadline passes; returns whether all have left. */
    boolean awaitWorkers(long deadlineNanos) throws InterruptedException {
        List<Thread> threads;
        lock.lock();
        try {
            threads = new ArrayList<>(workers);
        } finally {
            lock.unlock();
        }
        for (Thread thread : threads) {
            long left = deadlineNanos - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.timedJoin(thread, left);
            }
            if (thread.isAlive()) {
                return false;
            }
        }
        return true;
    }

    /** The tasks running now, with the threads that run them. */
    Map<Thread, LiveTask> runningTasks() {
        return Map.copyOf(running);
    }

    String category() {
        return category;
    }

    int queued() {
        lock.lock();
        try {
            return queued;
        } finally {
            lock.unlock();
        }
    }

    int running() {
        return running.size();
    }

    int workers() {
        lock.lock();
        try {
            return target;
        } finally {
            lock.unlock();
        }
    }

    /** Worker threads that died without leaving: should always be 0. */
    int deadWorkers() {
        lock.lock();
        try {
            return (int) workers.stream().filter(thread -> !thread.isAlive()).count();
        } finally {
            lock.unlock();
        }
    }
}
