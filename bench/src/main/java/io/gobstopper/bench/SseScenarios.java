package io.gobstopper.bench;

import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.boot.web.TaskEventBroadcaster;
import io.gobstopper.tasks.engine.TaskEngine;
import io.gobstopper.tasks.event.TaskEventType;
import io.gobstopper.tasks.event.TaskListener;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * No-op throughput of the starter in a real embedded server (Tomcat) with {@code clients} Server-Sent Events clients
 * on {@code GET /api/tasks/events}: all but {@code stalled} (1) read everything, the others connect and never read.
 * Submits go straight to the engine, as in {@link GobstopperScenarios}; the clients only add the cost of the event
 * stream.
 */
public final class SseScenarios {

    /** The application the scenario runs: the starter, the no-op task, and a listener that counts successes. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    public static class App {

        static final AtomicReference<CountDownLatch> SUCCEEDED = new AtomicReference<>(new CountDownLatch(0));

        @Bean
        GobstopperScenarios.Tasks tasks() {
            return new GobstopperScenarios.Tasks();
        }

        @Bean
        TaskListener succeededCounter() {
            return event -> {
                if (event.type() == TaskEventType.SUCCEEDED) {
                    SUCCEEDED.get().countDown();
                }
            };
        }
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        Path dir = Files.createTempDirectory("gobstopper-bench-sse");
        if (!args.scenario().equals("throughput")) {
            throw new IllegalArgumentException("unknown scenario " + args.scenario());
        }
        Args.warmedUp(args, run -> throughput(dir, run));
        System.exit(0);
    }

    static void throughput(Path dir, Args args) throws Exception {
        int count = args.integer("tasks", 50_000);
        int clients = args.integer("clients", 0);
        App.SUCCEEDED.set(new CountDownLatch(count));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
                .run(
                        "--server.port=0",
                        "--gobstopper.tasks.enabled=true",
                        "--gobstopper.tasks.workers=" + args.integer("workers", 4),
                        "--gobstopper.tasks.duckdb.path=" + dir.resolve(UUID.randomUUID() + ".duckdb"),
                        // the default buffer unless told otherwise: the clients get their share of the events, not all
                        // of them
                        "--gobstopper.tasks.web.events.buffer-size=" + args.integer("buffer", 1_000),
                        "--spring.main.banner-mode=off",
                        "--logging.level.root=WARN",
                        // the one stalled client's drop is expected; its WARN is not news here
                        "--logging.level.io.gobstopper.tasks.boot.web.TaskEventBroadcaster=ERROR");
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        TaskEngine engine = context.getBean(TaskEngine.class);
        TaskEventBroadcaster broadcaster = context.getBean(TaskEventBroadcaster.class);

        AtomicLong received = new AtomicLong();
        List<Thread> readers = new ArrayList<>();
        Socket stalled = null;
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int stalledClients = clients > 0 ? args.integer("stalled", 1) : 0;
        for (int i = 0; i < clients - stalledClients; i++) {
            HttpResponse<InputStream> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/tasks/events"))
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            Thread reader = new Thread(
                    () -> {
                        byte[] buffer = new byte[64 * 1024];
                        try (InputStream in = response.body()) {
                            for (int n; (n = in.read(buffer)) != -1; ) {
                                received.addAndGet(n);
                            }
                        } catch (Exception ex) {
                            // the stream ended
                        }
                    },
                    "sse-reader-" + i);
            reader.setDaemon(true);
            reader.start();
            readers.add(reader);
        }
        if (stalledClients > 0) {
            stalled = new Socket();
            stalled.setReceiveBufferSize(1024);
            stalled.connect(new InetSocketAddress("localhost", port));
            OutputStream out = stalled.getOutputStream();
            out.write(("GET /api/tasks/events HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (broadcaster.clientCount() < clients && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        int connected = broadcaster.clientCount();

        TaskRequest request = TaskRequest.of("noop");
        long begin = System.nanoTime();
        List<CompletableFuture<UUID>> pending = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            pending.add(engine.submitAsync(request));
        }
        pending.forEach(CompletableFuture::join);
        boolean finished = App.SUCCEEDED.get().await(args.integer("timeout_s", 300), TimeUnit.SECONDS);
        long stored = engine.stats().byStatus().get(io.gobstopper.tasks.TaskStatus.SUCCESS);
        double seconds = (System.nanoTime() - begin) / 1e9;
        int stillConnected = broadcaster.clientCount();
        context.close();
        if (stalled != null) {
            stalled.close();
        }
        if (args.quiet()) {
            return;
        }
        Report.throughput(stored, count, seconds, finished);
        Report.metric("clients_connected", connected);
        Report.metric("clients_at_end", stillConnected);
        Report.metric("mb_received_by_readers", received.get() / 1e6);
    }
}
