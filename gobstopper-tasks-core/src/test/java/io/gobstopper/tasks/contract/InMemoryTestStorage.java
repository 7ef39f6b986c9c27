package io.gobstopper.tasks.contract;

import io.gobstopper.tasks.store.TaskStore;
import io.gobstopper.tasks.store.memory.InMemoryTaskStore;

/**
 * One in-memory store for one test: every {@link #create()} answers the same instance, whose data outlives its
 * {@code close()}, so a store closed and opened again sees what it stored, as a restarted application does.
 */
public final class InMemoryTestStorage implements TestStorage {

    private final InMemoryTaskStore store = new InMemoryTaskStore();

    @Override
    public TaskStore create() {
        return store;
    }

    /** Nothing to forget: the store goes with this object. */
    @Override
    public void close() {}
}
