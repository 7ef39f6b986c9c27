package io.gobstopper.tasks.boot.web;

import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a request body as a JSON object, within a size limit, and checks its fields against the ones a call
 * accepts. Every refusal names what was wrong.
 */
final class JsonBodyReader {

    private final JsonMapper mapper = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private final long maxBytes;

    JsonBodyReader(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Reads the body.
     *
     * @param required whether an empty body is refused (otherwise it reads as {@code {}})
     * @param allowed the fields this call accepts
     */
    ObjectNode read(HttpServletRequest request, boolean required, Set<String> allowed) {
        checkContentType(request.getContentType());
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge();
        }
        byte[] body = readLimited(request);
        if (isBlank(body)) {
            if (required) {
                throw ApiException.badRequest(
                        "The request body is empty: send a JSON object with the fields " + String.join(", ", allowed));
            }
            return JsonNodeFactory.instance.objectNode();
        }
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (JacksonException ex) {
            throw ApiException.badRequest(
                    "The request body is not valid JSON: " + ex.getOriginalMessage() + location(ex));
        }
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.badRequest("The request body must be a JSON object ({...}), got "
                    + node.getNodeType().name().toLowerCase());
        }
        RequestFields.of(object).onlyFields(allowed);
        return object;
    }

    private static String location(JacksonException ex) {
        return ex.getLocation() == null
                ? ""
                : " (line " + ex.getLocation().getLineNr() + ", column "
                        + ex.getLocation().getColumnNr() + ")";
    }

    private void checkContentType(String contentType) {
        if (contentType == null) {
            return;
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(contentType);
        } catch (InvalidMediaTypeException ex) {
            throw unsupported(contentType);
        }
        boolean json = type.getSubtype().equals("json") || type.getSubtype().endsWith("+json");
        if (!json) {
            throw unsupported(contentType);
        }
    }

    private static ApiException unsupported(String contentType) {
        return new ApiException(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "Content-Type '" + contentType
                        + "' is not accepted: send a JSON body with 'Content-Type: application/json'");
    }

    private byte[] readLimited(HttpServletRequest request) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (InputStream in = request.getInputStream()) {
            for (int read; (read = in.read(buffer)) != -1; ) {
                if (out.size() + read > maxBytes) {
                    throw tooLarge();
                }
                out.write(buffer, 0, read);
            }
        } catch (IOException ex) {
            throw ApiException.badRequest("The request body could not be read: " + ex.getMessage());
        }
        return out.toByteArray();
    }

    private ApiException tooLarge() {
        return new ApiException(
                HttpStatus.CONTENT_TOO_LARGE,
                "The request body is larger than " + maxBytes
                        + " bytes (gobstopper.tasks.web.max-body-size): send smaller arguments, or keep large data elsewhere "
                        + "and pass a reference to it");
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        return true;
    }
}
