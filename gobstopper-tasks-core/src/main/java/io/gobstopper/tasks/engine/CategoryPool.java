package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.store.LiveTask;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One category's queue and workers. Waiting tasks are ordered by priority, then by arrival. Workers start with
 * the first task and the pool can be resized while it runs: extra workers start at once, surplus workers leave
 * after their current task.
 */
final class CategoryPool {

    private static final Logger log = LoggerFactory.getLogger(CategoryPool.class);

    private record Entry(LiveTask task, int priority, long sequence) {}

    private static final Comparator<Entry> ORDER =
            Comparator.comparingInt(Entry::priority).reversed().thenComparingLong(Entry::sequence);

    private final String category;
    private final Consumer<LiveTask> runner;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();
    private final PriorityQueue<Entry> queue = new PriorityQueue<>(ORDER);
    private final Map<Thread, LiveTask> running = new ConcurrentHashMap<>();
    private final List<Thread> workers = new ArrayList<>();
    private long sequence;
    private int target;
    private int threadNumber;
    private int idle;
    private boolean stopping;

    /**
     * @param category the category's name, used in thread names
     * @param workers the initial size
     * @param runner runs one task on the calling worker
     */
    CategoryPool(String category, int workers, Consumer<LiveTask> runner) {
        this.category = category;
        this.target = workers;
        this.runner = runner;
    }

    /** Queues tasks for this category's workers, in the given order within a priority. */
    void enqueue(List<LiveTask> tasks) {
        lock.lock();
        try {
            for (LiveTask task : tasks) {
                queue.add(new Entry(task, task.priority().level(), sequence++));
            }
            startWorkers();
            // wake only as many idle workers as there is new work: a wake-up no task needs is a context switch
            for (int i = Math.min(tasks.size(), idle); i > 0; i--) {
                available.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Drops a waiting task from the queue; returns whether it was there. */
    boolean remove(UUID id) {
        lock.lock();
        try {
            return queue.removeIf(entry -> entry.task().id().equals(id));
        } finally {
            lock.unlock();
        }
    }

    /** Sets the number of workers. */
    void resize(int workers) {
        lock.lock();
        try {
            target = workers;
            if (!queue.isEmpty()) {
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
            try {
                runner.accept(task);
            } catch (Throwable ex) {
                log.error("Worker {} failed outside a task; it carries on", self.getName(), ex);
            } finally {
                running.remove(self);
                Thread.interrupted(); // an interrupt meant for the finished task must not hit the next one
            }
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
                Entry entry = queue.poll();
                if (entry != null) {
                    return entry.task();
                }
                idle++;
                try {
                    available.awaitUninterruptibly();
                } finally {
                    idle--;
                }
            }
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
            return queue.size();
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
