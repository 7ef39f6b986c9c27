package io.gobstopper.tasks.retry;

import java.time.Duration;
import java.util.Objects;

/**
 * Exponential backoff: the n-th retry waits {@code min(initialDelay * multiplier^(n-1), maxDelay)}.
 *
 * @param initialDelay the wait before the first retry, more than zero
 * @param multiplier how much each further wait grows, 1.0 or more
 * @param maxDelay the longest wait, at least {@code initialDelay}
 */
public record RetryPolicy(Duration initialDelay, double multiplier, Duration maxDelay) {

    /** 2 s, doubling, at most 60 s: the reference's {@code min(2^attempt, 60)} seconds. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofSeconds(2), 2.0, Duration.ofSeconds(60));

    public RetryPolicy {
        Objects.requireNonNull(initialDelay, "retry.initial-delay must be set");
        Objects.requireNonNull(maxDelay, "retry.max-delay must be set");
        if (initialDelay.isNegative() || initialDelay.isZero()) {
            throw new IllegalArgumentException("retry.initial-delay must be more than zero, got " + initialDelay);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("retry.multiplier must be 1.0 or more, got " + multiplier);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException(
                    "retry.max-delay (" + maxDelay + ") must be at least retry.initial-delay (" + initialDelay + ")");
        }
    }

    /**
     * How long to wait before the given retry.
     *
     * @param retry 1 for the first retry, 2 for the second, ...
     */
    public Duration delayBefore(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry counts from 1, got " + retry);
        }
        double nanos = initialDelay.toNanos() * Math.pow(multiplier, retry - 1);
        long max = maxDelay.toNanos();
        return nanos >= max ? maxDelay : Duration.ofNanos((long) nanos);
    }
}
