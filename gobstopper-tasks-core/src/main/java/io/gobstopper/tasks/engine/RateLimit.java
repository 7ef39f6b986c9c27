package io.gobstopper.tasks.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * At most {@code permits} task starts per {@code period}, written {@code "100/1s"}: a category may start that many
 * at once, then one every {@code period / permits} (a token bucket).
 *
 * @param permits starts per period, 1 or more
 * @param period the period, more than zero
 */
public record RateLimit(int permits, Duration period) {

    public RateLimit {
        Objects.requireNonNull(period, "period must be set");
        if (permits < 1) {
            throw new IllegalArgumentException("a rate must allow 1 or more starts per period, got " + permits);
        }
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("a rate's period must be more than zero, got " + period);
        }
    }

    /**
     * Reads {@code "<permits>/<period>"}, e.g. {@code "100/1s"}, {@code "10/500ms"}, {@code "600/1m"}.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static RateLimit parse(String text) {
        String hint = " (write it as <starts>/<period>, e.g. 100/1s, 10/500ms or 600/1m)";
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a rate must not be empty" + hint);
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' is not a rate" + hint);
        }
        int permits;
        try {
            permits = Integer.parseInt(text.substring(0, slash).trim());
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("'" + text + "' does not start with a whole number" + hint);
        }
        Duration period;
        try {
            period = DurationText.parse(text.substring(slash + 1));
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("'" + text + "': " + ex.getMessage() + hint);
        }
        return new RateLimit(permits, period);
    }

    /** Nanoseconds between two starts once the burst is spent. */
    long intervalNanos() {
        return Math.max(1, period.toNanos() / permits);
    }

    @Override
    public String toString() {
        return permits + "/" + period;
    }
}
