package io.gobstopper.tasks.contract;

import io.gobstopper.tasks.store.TaskStore;

/**
 * The storage one test works on, and the way to make stores on it: each {@link #create()} is a new, unopened store on
 * the same data, so a store made after the previous one closed sees what it stored, as a restarted application does.
 * The contract suites run on every kind of store through this interface.
 */
public interface TestStorage extends AutoCloseable {

    /** A new, unopened store on this test's data. */
    TaskStore create();

    /** Forgets this test's data. */
    @Override
    void close();
}
