package io.gobstopper.tasks.boot.web;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.boot.json.TaskJsonView;
import io.gobstopper.tasks.event.TaskEvent;
import io.gobstopper.tasks.event.TaskListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends the engine's life-cycle events, and the stats every {@link #STATS_INTERVAL}, to the clients of
 * {@code GET {base-path}/events}.
 *
 * <p>The engine calls {@link #onEvent} on its own threads (workers, the writer's journal thread), and, on a store
 * shared by several instances, {@link #onRemoteEvent} with the other instances' events on the thread that hears the
 * store's notifications; both take the same path, so that method never blocks and never writes to a socket: it only offers the event to each matching client's bounded buffer. A
 * client whose buffer is full is dropped (its stream is completed, and a WARN names it), so a slow or stalled
 * client costs the engine nothing. Buffers are drained by a small dedicated pool of sender threads
 * ({@code gobstopper-events-*}), one drain at a time per client; a client that stops reading can hold one sender
 * in a blocked socket write until the container gives up on it, which is why the pool has several threads and
 * they are started only when there is something to send. Events are rendered as JSON once, by the first sender that
 * needs them.
 *
 * <p>The streams are completed when the application shuts down, before the web server stops taking requests (this
 * life cycle's phase is above the web server's graceful shutdown), so that shutdown does not wait on open streams.
 */
public final class TaskEventBroadcaster implements TaskListener, SmartLifecycle {

    /** Above the web server's graceful shutdown, so the streams end before it waits for open requests. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    /** How often every client gets a {@code stats} event. */
    public static final Duration STATS_INTERVAL = Duration.ofSeconds(2);

    /** Events are counted in windows of 2^27 ns, about 134 ms. */
    static final int WINDOW_SHIFT = 27;

    /**
     * The most task events sent per window to all clients together (about 1,900 per second), shared out evenly among
     * them, but at least {@link #MIN_EVENTS_PER_CLIENT} each and at most half a client's buffer. Past its share, in a
     * burst, a client's events are skipped and it gets a {@code resync} event with the next stats (data
     * {@code {"skipped": n}}): read the current state again. This bounds what streaming costs the application however
     * many tasks run and however many clients watch, so watchers never compete with the tasks for the CPU in earnest;
     * a client that watches one task or a calm system sees every event.
     */
    static final int MAX_EVENTS_PER_WINDOW = 256;

    /** The smallest share of {@link #MAX_EVENTS_PER_WINDOW} a client gets, however many clients there are. */
    static final int MIN_EVENTS_PER_CLIENT = 4;

    /** The most threads that write to clients at once. */
    static final int SENDERS = 8;

    /** The most events sent in one write. */
    private static final int MAX_EVENTS_PER_WRITE = 256;

    private static final MediaType EVENT_TEXT = new MediaType("text", "plain", StandardCharsets.UTF_8);

    /** How long shutdown waits for the streams to be completed. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(TaskEventBroadcaster.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Supplier<ObjectNode> stats;
    private final TaskJsonView view;
    private final int bufferSize;
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final AtomicLong sequence = new AtomicLong();
    /** The window in which every client's allowance is spent, and the events skipped for all of them then. */
    private volatile long allSpentWindow = -1;

    private final LongAdder skippedByAll = new LongAdder();
    private long spentCountWindow = -1;
    private int spentCount;
    private final AtomicLong clientNumbers = new AtomicLong();
    /** Each client's share of {@link #MAX_EVENTS_PER_WINDOW}, as of the number of clients. */
    private volatile int share;

    private volatile boolean running;
    private volatile ThreadPoolExecutor senders;
    private volatile ScheduledExecutorService ticker;

    /**
     * @param stats the JSON of {@code GET {base-path}/stats}, computed once per tick when anyone listens
     * @param view renders tasks
     * @param bufferSize the most events a client may have waiting before it is dropped
     */
    public TaskEventBroadcaster(Supplier<ObjectNode> stats, TaskJsonView view, int bufferSize) {
        if (bufferSize < 1) {
            throw new IllegalArgumentException("bufferSize must be at least 1, got " + bufferSize);
        }
        this.stats = stats;
        this.view = view;
        this.bufferSize = bufferSize;
        reshare();
    }

    @Override
    public void onEvent(TaskEvent event) {
        if (clients.isEmpty() || !running) {
            return;
        }
        long window = System.nanoTime() >>> WINDOW_SHIFT; // one clock read per event
        if (allSpentWindow == window) {
            skippedByAll.increment(); // a burst: every client has had its allowance, so no loop over them
            return;
        }
        Outgoing outgoing = null;
        for (Client client : clients) {
            if (client.filter.matches(event.task()) && allow(client, window)) {
                if (outgoing == null) {
                    outgoing = new Outgoing(
                            sequence.incrementAndGet(),
                            event.type().name().toLowerCase(Locale.ROOT),
                            event.task(),
                            null);
                }
                offer(client, outgoing);
            }
        }
    }

    /**
     * Another instance's event, on a store shared by several: sent like this instance's own, so a client sees the
     * whole system whichever instance it is connected to.
     */
    @Override
    public void onRemoteEvent(TaskEvent event) {
        onEvent(event);
    }

    /** Only while a client is connected: reading another instance's change costs the store a query. */
    @Override
    public boolean wantsRemoteEvents() {
        return running && !clients.isEmpty();
    }

    /** Whether the client may get one more task event in this window; notes when every client's allowance is spent. */
    private boolean allow(Client client, long window) {
        int answer = client.allow(window, share);
        if (answer == Client.JUST_SPENT) {
            synchronized (this) {
                if (spentCountWindow != window) {
                    spentCountWindow = window;
                    spentCount = 0;
                }
                if (++spentCount >= clients.size()) {
                    allSpentWindow = window;
                }
            }
        }
        return answer == Client.ALLOWED;
    }

    /**
     * Starts streaming to a new client: a {@code stats} event at once, then its events.
     *
     * @param description how log messages name the client (its address and filters)
     * @return the emitter to return from the handler
     */
    SseEmitter connect(EventFilter filter, String description) {
        if (!running) {
            throw new ApiException(
                    org.springframework.http.HttpStatus.SERVICE_UNAVAILABLE,
                    "The event stream is not available while the application starts or stops; try again shortly");
        }
        // no timeout: the stream lasts until the client leaves, is dropped, or the application stops
        SseEmitter emitter = new SseEmitter(0L);
        Client client = new Client(
                clientNumbers.incrementAndGet(), description, filter, emitter, new ArrayBlockingQueue<>(bufferSize));
        emitter.onCompletion(() -> forget(client, "closed"));
        emitter.onTimeout(() -> forget(client, "timed out"));
        emitter.onError(error -> forget(client, "failed: " + error.getMessage()));
        clients.add(client);
        reshare();
        startTicker();
        offer(client, statsEvent());
        return emitter;
    }

    /** How many clients are connected. */
    public int clientCount() {
        return clients.size();
    }

    private void offer(Client client, Outgoing outgoing) {
        if (!client.buffer.offer(outgoing)) {
            drop(client, "its buffer of " + bufferSize + " events is full (it reads too slowly)");
        }
        schedule(client);
    }

    private void drop(Client client, String reason) {
        if (client.end(reason)) {
            clients.remove(client);
            reshare();
            log.warn("Dropped event stream client {}: {}; its stream is completed", client, reason);
        }
    }

    private void forget(Client client, String reason) {
        client.end(reason);
        clients.remove(client);
        reshare();
    }

    private void reshare() {
        int even = Math.max(MIN_EVENTS_PER_CLIENT, MAX_EVENTS_PER_WINDOW / Math.max(1, clients.size()));
        share = Math.max(1, Math.min(even, bufferSize / 2)); // a burst alone never fills a buffer
    }

    private void schedule(Client client) {
        ThreadPoolExecutor pool = senders;
        if (pool != null && client.scheduled.compareAndSet(false, true)) {
            try {
                pool.execute(() -> drain(client));
            } catch (RejectedExecutionException ex) {
                client.scheduled.set(false);
            }
        }
    }

    /** Runs on a sender thread: writes the client's waiting events, or completes its stream once it has ended. */
    private void drain(Client client) {
        try {
            while (true) {
                String waiting;
                while (client.open() && (waiting = takeWaiting(client)) != null) {
                    client.emitter.send(Set.of(new ResponseBodyEmitter.DataWithMediaType(waiting, EVENT_TEXT)));
                }
                if (!client.open()) {
                    client.complete();
                    return;
                }
                client.scheduled.set(false);
                // an event offered after the poll above found the flag still set: take the drain back for it
                if (client.buffer.isEmpty() || !client.scheduled.compareAndSet(false, true)) {
                    return;
                }
            }
        } catch (IOException | IllegalStateException ex) {
            // the client went away; the container reports it to the emitter, whose callbacks forget the client
            log.debug("Event stream client {} went away: {}", client, ex.getMessage());
            forget(client, "went away");
            client.scheduled.set(false);
        } catch (RuntimeException ex) {
            log.warn("Could not send to event stream client {}; dropping it", client, ex);
            forget(client, "failed");
            client.complete();
        }
    }

    /**
     * The client's waiting events as one piece of {@code text/event-stream}, or {@code null} when none wait: what
     * piled up while the last write was under way goes out in one write and one flush, so a burst costs a few writes
     * per client rather than one per event.
     */
    private String takeWaiting(Client client) {
        Outgoing next = client.buffer.poll();
        if (next == null) {
            return null;
        }
        StringBuilder text = new StringBuilder(1024);
        int events = 0;
        do {
            text.append(next.frame(view));
        } while (++events < MAX_EVENTS_PER_WRITE && (next = client.buffer.poll()) != null);
        return text.toString();
    }

    private Outgoing statsEvent() {
        return new Outgoing(sequence.incrementAndGet(), "stats", null, stats.get());
    }

    private void tick() {
        if (clients.isEmpty() || !running) {
            return;
        }
        try {
            Outgoing outgoing = statsEvent();
            long skippedForAll = skippedByAll.sumThenReset();
            clients.forEach(client -> {
                long skipped = client.skipped.sumThenReset() + skippedForAll;
                if (skipped > 0) {
                    offer(
                            client,
                            new Outgoing(
                                    sequence.incrementAndGet(),
                                    "resync",
                                    null,
                                    JSON.createObjectNode().put("skipped", skipped)));
                }
                offer(client, outgoing);
            });
        } catch (RuntimeException ex) {
            log.debug("No stats event this time: {}", ex.getMessage());
        }
    }

    private synchronized void startTicker() {
        if (ticker == null && running) {
            ticker = Executors.newSingleThreadScheduledExecutor(threads("gobstopper-events-stats"));
            long millis = STATS_INTERVAL.toMillis();
            ticker.scheduleWithFixedDelay(this::tick, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void start() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                SENDERS, SENDERS, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads("gobstopper-events-"));
        // threads only while there is something to send: an application without listeners has none
        pool.allowCoreThreadTimeOut(true);
        senders = pool;
        running = true;
    }

    @Override
    public void stop() {
        ThreadPoolExecutor pool;
        ScheduledExecutorService statsTicker;
        synchronized (this) {
            running = false;
            pool = senders;
            statsTicker = ticker;
            ticker = null;
        }
        if (statsTicker != null) {
            statsTicker.shutdownNow();
        }
        for (Client client : clients) {
            client.end("the application is shutting down");
            schedule(client);
        }
        clients.clear();
        if (pool != null) {
            pool.shutdown();
            try {
                if (!pool.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.debug("Event stream senders still busy after {}; interrupting them", CLOSE_TIMEOUT);
                    pool.shutdownNow();
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                pool.shutdownNow();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix.endsWith("-") ? prefix + count.incrementAndGet() : prefix);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One event, shared by every client it goes to; its text is rendered once, on first use. */
    private static final class Outgoing {

        final long id;
        final String name;
        private final TaskInfo task;
        private volatile String frame;
        private final ObjectNode json;

        Outgoing(long id, String name, TaskInfo task, ObjectNode json) {
            this.id = id;
            this.name = name;
            this.task = task;
            this.json = json;
        }

        /** The event in the {@code text/event-stream} format, rendered once, by the first sender that needs it. */
        String frame(TaskJsonView view) {
            String rendered = frame;
            if (rendered == null) {
                StringBuilder text = new StringBuilder(768)
                        .append("id:")
                        .append(id)
                        .append("\nevent:")
                        .append(name)
                        .append('\n');
                String data = JSON.writeValueAsString(task != null ? view.task(task) : json);
                // compact JSON has no line breaks; should one ever appear, each line needs its own data field
                for (String line : data.split("\n", -1)) {
                    text.append("data:").append(line).append('\n');
                }
                rendered = text.append('\n').toString();
                frame = rendered;
            }
            return rendered;
        }
    }

    /** One connected client. */
    private static final class Client {

        final long number;
        final String description;
        final EventFilter filter;
        final SseEmitter emitter;
        final BlockingQueue<Outgoing> buffer;
        /** Task events skipped since the last {@code resync}, past the client's share. */
        final LongAdder skipped = new LongAdder();
        /** Task events offered in the current window, which window, and the window whose allowance is spent. */
        private final AtomicInteger inWindow = new AtomicInteger();

        private volatile long window = -1;
        private volatile long spentWindow = -1;
        final AtomicBoolean scheduled = new AtomicBoolean();
        private final AtomicReference<String> ended = new AtomicReference<>();
        private final AtomicBoolean completed = new AtomicBoolean();

        Client(
                long number,
                String description,
                EventFilter filter,
                SseEmitter emitter,
                BlockingQueue<Outgoing> buffer) {
            this.number = number;
            this.description = description;
            this.filter = filter;
            this.emitter = emitter;
            this.buffer = buffer;
        }

        boolean open() {
            return ended.get() == null;
        }

        /**
         * Whether one more task event fits in this window's allowance; counts it as skipped when not. Once the
         * allowance is spent, the rest of the window costs a volatile read and a {@link LongAdder} increment.
         */
        static final int ALLOWED = 0;

        static final int SKIPPED = 1;
        /** Skipped, and the allowance of this window was spent just now. */
        static final int JUST_SPENT = 2;

        int allow(long now, int share) {
            if (spentWindow == now) {
                skipped.increment();
                return SKIPPED;
            }
            if (window != now) {
                synchronized (this) {
                    if (window != now) {
                        inWindow.set(0);
                        window = now;
                    }
                }
            }
            int count = inWindow.incrementAndGet();
            if (count <= share) {
                return ALLOWED;
            }
            spentWindow = now;
            skipped.increment();
            return count == share + 1 ? JUST_SPENT : SKIPPED;
        }

        /** Marks the stream as ended; true the first time. */
        boolean end(String reason) {
            return ended.compareAndSet(null, reason);
        }

        /** Completes the stream once; only on a sender thread (it may wait for a write in progress). */
        void complete() {
            if (completed.compareAndSet(false, true)) {
                buffer.clear();
                try {
                    emitter.complete();
                } catch (RuntimeException ex) {
                    log.debug("Completing event stream client {} failed: {}", this, ex.getMessage());
                }
            }
        }

        @Override
        public String toString() {
            return "#" + number + " " + description;
        }
    }
}
