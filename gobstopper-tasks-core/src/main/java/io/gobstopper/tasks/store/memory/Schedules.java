package io.gobstopper.tasks.store.memory;

import io.gobstopper.tasks.store.TaskStore.ScheduleState;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** The recurring tasks' schedules of an in-memory store: whether each is paused, and its latest fire time stored. */
final class Schedules {

    private final Map<String, ScheduleState> states = new HashMap<>();

    /** Every schedule's state, by task name. */
    synchronized Map<String, ScheduleState> states() {
        return new TreeMap<>(states);
    }

    synchronized void pause(String name) {
        ScheduleState state = states.get(name);
        states.put(name, new ScheduleState(true, state == null ? null : state.lastFireAt()));
    }

    /** Unpauses, with {@code now} as the latest fire time unless a later one is stored. */
    synchronized void resume(String name, Instant now) {
        ScheduleState state = states.get(name);
        Instant last = state == null
                        || state.lastFireAt() == null
                        || state.lastFireAt().isBefore(now)
                ? now
                : state.lastFireAt();
        states.put(name, new ScheduleState(false, last));
    }

    /**
     * The compare-and-set of a fire time: records it, and stores its run, only if no run for this or a later fire
     * time was recorded.
     *
     * @return whether it was recorded and {@code store} ran
     */
    synchronized boolean fire(String name, Instant fireTime, Runnable store) {
        ScheduleState state = states.get(name);
        if (state != null && state.lastFireAt() != null && !state.lastFireAt().isBefore(fireTime)) {
            return false;
        }
        states.put(name, new ScheduleState(state != null && state.paused(), fireTime));
        store.run();
        return true;
    }
}
