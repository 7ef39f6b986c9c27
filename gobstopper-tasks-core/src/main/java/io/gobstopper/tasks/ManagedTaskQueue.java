package io.gobstopper.tasks;

/**
 * A {@link TaskQueue} whose life the application manages: {@link #start()} opens its store and queues the unfinished
 * tasks it holds, {@link #close()} stops it gracefully. What {@link GobstopperTasks#builder()} builds.
 */
public interface ManagedTaskQueue extends TaskQueue, AutoCloseable {

    /**
     * Opens the store, takes up the unfinished tasks it holds, and starts the workers' timers.
     *
     * @throws IllegalStateException if it was started before
     * @throws TaskStoreException if the store cannot be opened
     */
    void start();

    /**
     * Stops gracefully: no new task starts, running tasks get the shutdown timeout to finish, and those still running
     * then are interrupted and run again at the next start. Closing twice does nothing more.
     */
    @Override
    void close();
}
