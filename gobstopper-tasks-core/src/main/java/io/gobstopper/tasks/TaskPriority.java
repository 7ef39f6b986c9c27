package io.gobstopper.tasks;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How urgently a task runs: within a category, higher priorities run first, FIFO within a priority. */
public enum TaskPriority {
    LOW(1),
    NORMAL(2),
    HIGH(3),
    CRITICAL(4);

    private final int level;

    TaskPriority(int level) {
        this.level = level;
    }

    /** The numeric level, 1 (LOW) to 4 (CRITICAL). */
    public int level() {
        return level;
    }

    /** The priority with the given level. */
    public static TaskPriority ofLevel(int level) {
        for (TaskPriority priority : values()) {
            if (priority.level == level) {
                return priority;
            }
        }
        throw new IllegalArgumentException(invalid(Integer.toString(level)));
    }

    /**
     * Parses a priority given by name in any case ({@code "high"}) or by level ({@code "3"}).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static TaskPriority parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(invalid(String.valueOf(text)));
        }
        String trimmed = text.trim();
        if (trimmed.length() == 1 && Character.isDigit(trimmed.charAt(0))) {
            return ofLevel(trimmed.charAt(0) - '0');
        }
        try {
            return valueOf(trimmed.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(invalid(trimmed));
        }
    }

    private static String invalid(String value) {
        return "Unknown priority '" + value + "': use one of "
                + Arrays.stream(values())
                        .map(p -> p.name() + " (" + p.level + ")")
                        .collect(Collectors.joining(", "));
    }
}
