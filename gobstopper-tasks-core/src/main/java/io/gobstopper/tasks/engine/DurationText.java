package io.gobstopper.tasks.engine;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in annotations: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, or ISO-8601. */
public final class DurationText {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private DurationText() {}

    /**
     * Reads a duration.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static Duration parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        Matcher simple = SIMPLE.matcher(trimmed.toLowerCase());
        try {
            if (simple.matches()) {
                long amount = Long.parseLong(simple.group(1));
                return switch (simple.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            }
            if (trimmed.toUpperCase().startsWith("P")) {
                return Duration.parse(trimmed);
            }
        } catch (ArithmeticException | NumberFormatException | DateTimeParseException ex) {
            // explained below
        }
        throw new IllegalArgumentException(
                "'" + text + "' is not a duration; write e.g. 500ms, 30s, 5m, 2h, 1d or PT30S");
    }
}
