package io.gobstopper.tasks.boot.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;

/**
 * A Server-Sent Events client for the tests: reads a stream on its own thread, line by line, and keeps every event
 * it saw; {@link #ended()} tells when the server ended the stream.
 */
public final class SseClient implements AutoCloseable {

    /** One event as it arrived. */
    public record Event(String name, String id, String data) {

        public JsonNode json() {
            return Http.parse(data);
        }
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final int status;
    private final String contentType;
    private final InputStream body;
    private final Thread reader;
    private volatile boolean ended;

    private SseClient(HttpResponse<InputStream> response) {
        this.status = response.statusCode();
        this.contentType = response.headers().firstValue("Content-Type").orElse("");
        this.body = response.body();
        this.reader = new Thread(this::read, "sse-test-client");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Connects to {@code http://localhost:port + path} and starts reading. */
    public static SseClient connect(int port, String path) {
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Accept", "text/event-stream")
                .GET()
                .build();
        try {
            return new SseClient(client.send(request, HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException ex) {
            throw new IllegalStateException("GET " + path + " failed", ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private void read() {
        String name = null;
        String id = null;
        StringBuilder data = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (name != null || data.length() > 0) {
                        events.add(new Event(name == null ? "message" : name, id, data.toString()));
                    }
                    name = null;
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("data:")) {
                    data.append(data.length() > 0 ? "\n" : "")
                            .append(line.substring(5).stripLeading());
                }
            }
        } catch (IOException ex) {
            // closed by close() or by the server
        } finally {
            ended = true;
        }
    }

    public int status() {
        return status;
    }

    public String contentType() {
        return contentType;
    }

    /** Every event so far. */
    public List<Event> events() {
        return List.copyOf(events);
    }

    /** The events so far whose name is one of the task event names (not {@code stats}). */
    public List<Event> taskEvents() {
        return events.stream().filter(event -> !event.name().equals("stats")).toList();
    }

    /** Waits for an event that matches. */
    public Event await(Predicate<Event> wanted, Duration within) {
        Awaitility.await().atMost(within).until(() -> events.stream().anyMatch(wanted));
        return events.stream().filter(wanted).findFirst().orElseThrow();
    }

    /** Whether the server ended the stream. */
    public boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException ex) {
            // already closed
        }
    }
}
