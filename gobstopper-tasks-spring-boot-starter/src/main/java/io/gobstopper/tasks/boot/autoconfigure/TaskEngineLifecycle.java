package io.gobstopper.tasks.boot.autoconfigure;

import io.gobstopper.tasks.ManagedTaskQueue;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the engine once every bean (and so every task) is registered, before the web server takes requests;
 * stops it after the web server has stopped taking them.
 */
final class TaskEngineLifecycle implements SmartLifecycle {

    /** Below the web server's phases, so the engine starts before and stops after it. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final ManagedTaskQueue engine;
    private volatile boolean running;

    TaskEngineLifecycle(ManagedTaskQueue engine) {
        this.engine = engine;
    }

    @Override
    public void start() {
        engine.start();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        engine.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
