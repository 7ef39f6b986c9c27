package io.gobstopper.tasks.boot.support;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small HTTP client for the tests: real requests to a running server, any method, any body and content type.
 * Every status it sees is recorded, so a test class can check that none was a server error.
 */
public final class Http {

    public static final String JSON = "application/json";
    public static final String PROBLEM_JSON = "application/problem+json";

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final String root;
    private final List<Response> responses = new CopyOnWriteArrayList<>();

    public Http(int port) {
        this.root = "http://localhost:" + port;
    }

    public Response get(String path) {
        return send("GET", path, null, null);
    }

    public Response post(String path, String json) {
        return send("POST", path, json, json == null ? null : JSON);
    }

    public Response put(String path, String json) {
        return send("PUT", path, json, JSON);
    }

    public Response delete(String path) {
        return send("DELETE", path, null, null);
    }

    public Response send(String method, String path, String body, String contentType) {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
        return exchange(method, path, publisher, contentType);
    }

    /** Sends a request that accepts only the given media type. */
    public Response sendAccepting(String method, String path, String body, String contentType, String accept) {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
        return exchange(method, path, publisher, contentType, accept);
    }

    /** Sends the body without a Content-Length (chunked), so the server cannot refuse it by its declared size. */
    public Response sendChunked(String method, String path, byte[] body, String contentType) {
        return exchange(
                method,
                path,
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)),
                contentType);
    }

    private Response exchange(String method, String path, HttpRequest.BodyPublisher body, String contentType) {
        return exchange(method, path, body, contentType, null);
    }

    private Response exchange(
            String method, String path, HttpRequest.BodyPublisher body, String contentType, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(root + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Response answer = new Response(
                    method + " " + path,
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(null),
                    response.headers().firstValue("Location").orElse(null),
                    response.headers().firstValue("Allow").orElse(null),
                    response.headers().map(),
                    response.body());
            responses.add(answer);
            return answer;
        } catch (IOException ex) {
            throw new UncheckedIOException(method + " " + path + " failed", ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Every response this client received. */
    public List<Response> responses() {
        return List.copyOf(responses);
    }

    public static JsonNode parse(String json) {
        return MAPPER.readTree(json);
    }

    /** One answer. */
    public record Response(
            String call,
            int status,
            String contentType,
            String location,
            String allow,
            Map<String, List<String>> headers,
            String body) {

        /** The first value of a header (any case), or {@code null}. */
        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(header -> header.getKey().equalsIgnoreCase(name)
                            && !header.getValue().isEmpty())
                    .map(header -> header.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }

        public JsonNode json() {
            return parse(body);
        }

        /** The {@code detail} of a problem answer. */
        public String detail() {
            return json().path("detail").asString();
        }

        @Override
        public String toString() {
            return call + " -> " + status + " " + contentType + " " + body;
        }
    }
}
