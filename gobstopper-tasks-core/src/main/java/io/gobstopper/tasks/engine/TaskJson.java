package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.InvalidTaskArgumentsException;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.type.LogicalType;

/**
 * JSON for arguments and results, on the application's mapper (so its modules and settings apply). Binding uses
 * a stricter copy: no coercion between scalar types (not even to text), no unknown properties, no null for a primitive, no trailing
 * content, so a value that does not fit its parameter is refused rather than silently bent.
 */
final class TaskJson {

    private final ObjectMapper mapper;
    private final ObjectMapper strict;

    TaskJson(ObjectMapper mapper) {
        this.mapper = mapper;
        this.strict = mapper.rebuild()
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT) // 1.5 for an int is refused, not truncated
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // a number or boolean for a String parameter is refused, not turned into text
                .withCoercionConfig(
                        LogicalType.Textual,
                        config -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .build();
    }

    ObjectMapper strict() {
        return strict;
    }

    /**
     * @param names the parameter a positional argument (0-based) binds to, or {@code null}, for messages
     */
    ArrayNode args(String task, List<Object> args, IntFunction<String> names) {
        ArrayNode array = mapper.createArrayNode();
        for (int i = 0; i < args.size(); i++) {
            String parameter = names.apply(i);
            String what =
                    parameter == null ? "argument " + (i + 1) : "argument '" + parameter + "' at position " + (i + 1);
            array.add(tree(task, what, args.get(i)));
        }
        return array;
    }

    ObjectNode kwargs(String task, Map<String, Object> kwargs) {
        ObjectNode object = mapper.createObjectNode();
        kwargs.forEach((name, value) -> object.set(name, tree(task, "argument '" + name + "'", value)));
        return object;
    }

    private JsonNode tree(String task, String what, Object value) {
        if (value instanceof JsonNode node) {
            return node;
        }
        try {
            return mapper.valueToTree(value);
        } catch (JacksonException ex) {
            throw new InvalidTaskArgumentsException(
                    "Task '" + task + "': " + what + " (" + value.getClass().getName()
                            + ") cannot be written as JSON, and tasks keep their arguments as JSON: "
                            + ex.getOriginalMessage(),
                    ex);
        }
    }

    JsonNode read(String json) {
        return mapper.readTree(json);
    }

    /** Arguments as stored text; no arguments (the common case) need no serializer. */
    String text(JsonNode arguments) {
        if (arguments.isEmpty()) {
            return arguments.isArray() ? "[]" : "{}";
        }
        return mapper.writeValueAsString(arguments);
    }

    /** Writes a value as JSON; throws {@link JacksonException} if it cannot be. */
    String write(Object value) {
        return mapper.writeValueAsString(value);
    }
}
