package io.gobstopper.tasks.boot.testapp;

import io.gobstopper.tasks.BackgroundTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Recurring tasks, kept apart from {@link TestTasks} so that only the tests about schedules have tasks firing on
 * their own.
 */
public class ScheduledTestTasks {

    private final AtomicInteger ticks = new AtomicInteger();

    /** How many times {@code tick} ran. */
    public int ticks() {
        return ticks.get();
    }

    /** Every two seconds. */
    @BackgroundTask(cron = "*/2 * * * * *")
    public int tick() {
        return ticks.incrementAndGet();
    }

    /** Would fire every second, but the tests switch its schedule off with a property. */
    @BackgroundTask(cron = "* * * * * *")
    public String switchedOff() {
        throw new IllegalStateException("switched off by gobstopper.tasks.schedules.switchedOff.cron=-");
    }
}
