package io.gobstopper.tasks.engine;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that follows the system clock shifted by an offset the test moves forward. */
final class MutableClock implements InstantSource {

    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    @Override
    public Instant instant() {
        return Instant.now().plus(offset.get());
    }

    void advance(Duration by) {
        offset.accumulateAndGet(by, Duration::plus);
    }
}
