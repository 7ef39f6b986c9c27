package io.gobstopper.tasks.boot.web;

import io.gobstopper.tasks.TaskPriority;
import io.gobstopper.tasks.TaskStatus;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Reads and checks the values of request fields and query parameters; every refusal names the field. */
final class RequestFields {

    private RequestFields() {}

    static String text(ObjectNode body, String field, boolean required) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw ApiException.badRequest("Field '" + field + "' is required");
            }
            return null;
        }
        if (!value.isString() || value.asString().isBlank()) {
            throw ApiException.badRequest("Field '" + field + "' must be a non-empty string, got " + value);
        }
        return value.asString();
    }

    static TaskPriority priority(ObjectNode body) {
        JsonNode value = body.get("priority");
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            if (value.isIntegralNumber()) {
                return TaskPriority.ofLevel(value.asInt());
            }
            if (value.isString()) {
                return TaskPriority.parse(value.asString());
            }
        } catch (IllegalArgumentException ex) {
            throw ApiException.badRequest("Field 'priority': " + ex.getMessage());
        }
        throw ApiException.badRequest("Field 'priority' must be a priority name or level 1-4, got " + value);
    }

    static Integer wholeNumber(ObjectNode body, String field, int min, int max, boolean required) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw ApiException.badRequest("Field '" + field + "' is required: a whole number from " + min + " to " + max);
            }
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < min || value.asInt() > max) {
            throw ApiException.badRequest("Field '" + field + "' must be a whole number from " + min + " to " + max
                    + ", got " + value);
        }
        return value.asInt();
    }

    static JsonNode array(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value != null && !value.isNull() && !value.isArray()) {
            throw ApiException.badRequest("Field '" + field + "' must be a JSON array of positional arguments, got "
                    + value.getNodeType().name().toLowerCase());
        }
        return value;
    }

    static JsonNode object(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value != null && !value.isNull() && !value.isObject()) {
            throw ApiException.badRequest("Field '" + field + "' must be a JSON object of named arguments, got "
                    + value.getNodeType().name().toLowerCase());
        }
        return value;
    }

    /** A duration as ISO-8601 ({@code P30D}, {@code PT12H}) or simple form ({@code 30d}, {@code 12h}). */
    static Duration duration(ObjectNode body, String field) {
        String text = text(body, field, true);
        Duration duration;
        try {
            duration = DurationStyle.detectAndParse(text);
        } catch (IllegalArgumentException | DateTimeParseException ex) {
            throw ApiException.badRequest("Field '" + field + "' must be a duration such as \"P30D\", \"PT12H\" or "
                    + "\"30d\", got \"" + text + "\"");
        }
        if (duration.isNegative()) {
            throw ApiException.badRequest("Field '" + field + "' must not be negative, got \"" + text + "\"");
        }
        return duration;
    }

    static TaskStatus status(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return TaskStatus.parse(text);
        } catch (IllegalArgumentException ex) {
            throw ApiException.badRequest("Query parameter 'status': " + ex.getMessage());
        }
    }

    static int queryInt(String text, String name, int defaultValue, int min, int max) {
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // explained below
        }
        throw ApiException.badRequest("Query parameter '" + name + "' must be a whole number "
                + (max == Integer.MAX_VALUE ? min + " or more" : "from " + min + " to " + max) + ", got '" + text + "'");
    }

    /** A task id; a malformed one cannot name a task, so it answers 404 like an unknown one. */
    static UUID taskId(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException ex) {
            throw new ApiException(HttpStatus.NOT_FOUND, "No task with id '" + text + "' (task ids are UUIDs)");
        }
    }
}
