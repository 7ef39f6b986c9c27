package io.gobstopper.tasks.boot.web;

import io.gobstopper.tasks.ExportFormat;
import io.gobstopper.tasks.TaskAnalytics;
import io.gobstopper.tasks.TaskPriority;
import io.gobstopper.tasks.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and checks the fields of a request body (or of one object in it) and query parameters; every refusal names
 * the field, with the path to it for a nested object ({@code tasks[2].priority}).
 */
final class RequestFields {

    private final ObjectNode body;
    private final String path;

    private RequestFields(ObjectNode body, String path) {
        this.body = body;
        this.path = path;
    }

    /** The fields of a request body. */
    static RequestFields of(ObjectNode body) {
        return new RequestFields(body, "");
    }

    /** The fields of an object inside a body, named {@code path.field} in refusals. */
    static RequestFields of(ObjectNode object, String path) {
        return new RequestFields(object, path + ".");
    }

    /** The field's name as refusals show it. */
    String name(String field) {
        return path + field;
    }

    private JsonNode value(String field) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? null : value;
    }

    /** Refuses fields this call does not accept, listing those it does. */
    void onlyFields(Set<String> allowed) {
        for (String field : body.propertyNames()) {
            if (!allowed.contains(field)) {
                throw ApiException.badRequest(
                        "Unknown field '" + name(field) + "': this call accepts " + String.join(", ", allowed));
            }
        }
    }

    String text(String field, boolean required) {
        JsonNode value = value(field);
        if (value == null) {
            if (required) {
                throw ApiException.badRequest("Field '" + name(field) + "' is required");
            }
            return null;
        }
        if (!value.isString() || value.asString().isBlank()) {
            throw ApiException.badRequest("Field '" + name(field) + "' must be a non-empty string, got " + value);
        }
        return value.asString();
    }

    TaskPriority priority() {
        JsonNode value = value("priority");
        if (value == null) {
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
            throw ApiException.badRequest("Field '" + name("priority") + "': " + ex.getMessage());
        }
        throw ApiException.badRequest(
                "Field '" + name("priority") + "' must be a priority name or level 1-4, got " + value);
    }

    Integer wholeNumber(String field, int min, int max, boolean required) {
        JsonNode value = value(field);
        if (value == null) {
            if (required) {
                throw ApiException.badRequest(
                        "Field '" + name(field) + "' is required: a whole number from " + min + " to " + max);
            }
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < min || value.asInt() > max) {
            throw ApiException.badRequest(
                    "Field '" + name(field) + "' must be a whole number from " + min + " to " + max + ", got " + value);
        }
        return value.asInt();
    }

    /** An array field, or {@code null} when it is absent or null. */
    JsonNode array(String field, String ofWhat) {
        JsonNode value = value(field);
        if (value != null && !value.isArray()) {
            throw ApiException.badRequest("Field '" + name(field) + "' must be a JSON array of " + ofWhat + ", got "
                    + value.getNodeType().name().toLowerCase());
        }
        return value;
    }

    /** An object field, or {@code null} when it is absent or null. */
    JsonNode object(String field, String ofWhat) {
        JsonNode value = value(field);
        if (value != null && !value.isObject()) {
            throw ApiException.badRequest("Field '" + name(field) + "' must be a JSON object of " + ofWhat + ", got "
                    + value.getNodeType().name().toLowerCase());
        }
        return value;
    }

    /**
     * A duration, not negative, as ISO-8601 ({@code PT5S}, {@code P30D}) or simple form ({@code 5s}, {@code 30d}).
     *
     * @param positive whether zero is refused too
     */
    Duration duration(String field, boolean required, boolean positive) {
        String text = text(field, required);
        if (text == null) {
            return null;
        }
        Duration duration;
        try {
            duration = DurationStyle.detectAndParse(text);
        } catch (IllegalArgumentException | DateTimeParseException ex) {
            throw ApiException.badRequest("Field '" + name(field) + "' must be a duration such as \"PT5S\", \"5s\", "
                    + "\"P30D\" or \"30d\", got \"" + text + "\"");
        }
        if (duration.isNegative()) {
            throw ApiException.badRequest("Field '" + name(field) + "' must not be negative, got \"" + text + "\"");
        }
        if (positive && duration.isZero()) {
            throw ApiException.badRequest("Field '" + name(field) + "' must be more than zero, got \"" + text + "\"");
        }
        return duration;
    }

    /** An instant as ISO-8601, e.g. {@code 2030-01-01T08:00:00Z}. */
    Instant instant(String field) {
        String text = text(field, false);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException ex) {
            throw ApiException.badRequest("Field '" + name(field) + "' must be an ISO-8601 instant such as "
                    + "\"2030-01-01T08:00:00Z\", got \"" + text + "\"");
        }
    }

    /** Task ids in an array of strings; an empty list when the field is absent. */
    List<UUID> taskIds(String field) {
        JsonNode value = array(field, "task ids");
        if (value == null) {
            return List.of();
        }
        List<UUID> ids = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode id = value.get(i);
            try {
                if (id.isString()) {
                    ids.add(UUID.fromString(id.asString()));
                    continue;
                }
            } catch (IllegalArgumentException ex) {
                // explained below
            }
            throw ApiException.badRequest(
                    "Field '" + name(field) + "[" + i + "]' must be a task id (a UUID string), " + "got " + id);
        }
        return ids;
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
                + (max == Integer.MAX_VALUE ? min + " or more" : "from " + min + " to " + max) + ", got '" + text
                + "'");
    }

    /** The analytics window: an ISO-8601 duration more than zero and at most 3650 days; 24 hours when absent. */
    static Duration since(String text) {
        if (text == null || text.isBlank()) {
            return TaskAnalytics.DEFAULT_SINCE;
        }
        try {
            Duration since = Duration.parse(text.trim());
            if (!since.isNegative() && !since.isZero() && since.compareTo(TaskAnalytics.MAX_SINCE) <= 0) {
                return since;
            }
        } catch (DateTimeParseException ignored) {
            // explained below
        }
        throw ApiException.badRequest("Query parameter 'since' must be an ISO-8601 duration more than zero and at "
                + "most P3650D, such as PT24H, PT15M or P7D, got '" + text + "'");
    }

    /** What analytics group by: {@code name} (the default) or {@code category}. */
    static TaskAnalytics.GroupBy groupBy(String text) {
        if (text == null || text.isBlank()) {
            return TaskAnalytics.GroupBy.NAME;
        }
        try {
            return TaskAnalytics.GroupBy.of(text.trim());
        } catch (IllegalArgumentException ex) {
            throw ApiException.badRequest(
                    "Query parameter 'groupBy' must be one of name, category, got '" + text + "'");
        }
    }

    /** An export format: csv (the default), json or parquet. */
    static ExportFormat exportFormat(String text) {
        if (text == null || text.isBlank()) {
            return ExportFormat.CSV;
        }
        try {
            return ExportFormat.of(text.trim());
        } catch (IllegalArgumentException ex) {
            throw ApiException.badRequest(
                    "Query parameter 'format' must be one of csv, json, parquet, got '" + text + "'");
        }
    }

    /** A query parameter that is {@code true} or {@code false}; {@code false} when absent. */
    static boolean queryBoolean(String text, String name) {
        if (text == null || text.isBlank()) {
            return false;
        }
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default ->
                throw ApiException.badRequest(
                        "Query parameter '" + name + "' must be true or false, got '" + text + "'");
        };
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
