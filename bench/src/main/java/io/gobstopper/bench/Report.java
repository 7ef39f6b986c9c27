package io.gobstopper.bench;

import java.util.Locale;

/**
 * How a scenario, running in its own JVM, reports to the orchestrator: one line per figure on standard output,
 * {@code RESULT <name> <value>}. Anything else a scenario prints is passed through as log.
 */
public final class Report {

    /** The prefix of result lines. */
    public static final String PREFIX = "RESULT ";

    private Report() {}

    /** A number, e.g. {@code metric("tasks_per_second", 31234.5)}. */
    public static void metric(String name, double value) {
        System.out.println(PREFIX + name + " " + String.format(Locale.ROOT, "%.6f", value));
        System.out.flush();
    }

    /** A short text, e.g. the settings a peer ran with. */
    public static void note(String name, String text) {
        System.out.println(PREFIX + name + " " + text.replace('\n', ' '));
        System.out.flush();
    }

    /** The figures of a throughput run: how many of {@code expected} tasks were stored, in how long, and whether all. */
    public static void throughput(long stored, int expected, double seconds, boolean finished) {
        metric("completed", stored);
        metric("seconds", seconds);
        metric("tasks_per_second", stored / seconds);
        metric("finished", finished && stored == expected ? 1 : 0);
    }
}
