package io.gobstopper.bench;

import java.util.HashMap;
import java.util.Map;

/** Scenario arguments: the scenario's name first, then {@code key=value} pairs. */
public record Args(String scenario, Map<String, String> values) {

    public static Args parse(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("give a scenario name, then key=value pairs");
        }
        Map<String, String> values = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("not key=value: " + args[i]);
            }
            values.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        return new Args(args[0], values);
    }

    public int integer(String key, int defaultValue) {
        String value = values.get(key);
        return value == null ? defaultValue : Integer.parseInt(value);
    }

    public String text(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }
}
