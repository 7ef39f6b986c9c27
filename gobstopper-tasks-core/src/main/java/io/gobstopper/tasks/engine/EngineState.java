package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.TaskQueueUnavailableException;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;

/** Where the engine is in its life, and its clock: what every part of the engine asks before it acts. */
final class EngineState {

    enum Phase {
        NEW,
        RUNNING,
        STOPPING,
        STOPPED
    }

    private final InstantSource clock;
    private volatile Phase phase = Phase.NEW;

    EngineState(InstantSource clock) {
        this.clock = clock;
    }

    Phase phase() {
        return phase;
    }

    void moveTo(Phase next) {
        phase = next;
    }

    boolean isRunning() {
        return phase == Phase.RUNNING;
    }

    /** Refuses work unless the engine runs, saying whether it has not started yet or is stopping. */
    void ensureRunning() {
        Phase current = phase;
        if (current != Phase.RUNNING) {
            throw new TaskQueueUnavailableException(
                    current == Phase.NEW
                            ? "The task queue has not started yet; submit tasks once the application has started"
                            : "The task queue is shutting down and takes no more work");
        }
    }

    InstantSource clock() {
        return clock;
    }

    /** Now, to the microsecond: the precision stores keep. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
