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

    /** The same arguments with one value set. */
    public Args with(String key, String value) {
        Map<String, String> changed = new HashMap<>(values);
        changed.put(key, value);
        return new Args(scenario, changed);
    }

    /** Whether this is an unreported warm-up run. */
    public boolean quiet() {
        return Boolean.parseBoolean(values.getOrDefault("quiet", "false"));
    }

    /**
     * Runs a throughput scenario twice when {@code warmup} (tasks) is given: first that many tasks on a throwaway
     * instance and store, unreported, so the measured run does not pay for the JIT compiling its code; then the
     * measured run, on a fresh instance and store.
     */
    public static void warmedUp(Args args, Run run) throws Exception {
        int warmup = args.integer("warmup", 0);
        if (warmup > 0) {
            run.run(args.with("tasks", Integer.toString(warmup)).with("quiet", "true"));
        }
        run.run(args);
    }

    /** One run of a scenario. */
    @FunctionalInterface
    public interface Run {
        void run(Args args) throws Exception;
    }

    public int integer(String key, int defaultValue) {
        String value = values.get(key);
        return value == null ? defaultValue : Integer.parseInt(value);
    }

    public String text(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }
}
