package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.TaskContext;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Recurring tasks for {@link RecurringTaskTests}, one small bean per scenario so that an engine only fires the
 * schedules its test looks at. Every run records its task's name, id and the instant its method was entered.
 */
public class RecurringTasksBean {

    /** One run of a recurring task. */
    public record Run(String name, UUID taskId, Instant startedAt) {}

    private final List<Run> runs = new CopyOnWriteArrayList<>();

    /** Every run so far, in the order they started. */
    public List<Run> runs() {
        return List.copyOf(runs);
    }

    /** The runs of one task. */
    public List<Run> runs(String name) {
        return runs.stream().filter(run -> run.name().equals(name)).toList();
    }

    protected void record(TaskContext ctx) {
        runs.add(new Run(ctx.taskName(), ctx.taskId(), Instant.now()));
    }

    /** {@code every_two}: fires every two seconds, at even seconds, in UTC. */
    public static class EveryTwoSeconds extends RecurringTasksBean {
        public static final String NAME = "every_two";

        @BackgroundTask(name = NAME, cron = "*/2 * * * * *")
        public void everyTwo(TaskContext ctx) {
            record(ctx);
        }
    }

    /** Tasks whose schedules the settings override. */
    public static class Overridable extends RecurringTasksBean {

        /** Would fire every two seconds; the tests switch it off. */
        @BackgroundTask(name = "switched_off", cron = "*/2 * * * * *")
        public void switchedOff(TaskContext ctx) {
            record(ctx);
        }

        /** Fires once a year (never during a test) unless overridden. */
        @BackgroundTask(name = "yearly", cron = "0 0 0 1 1 *")
        public void yearly(TaskContext ctx) {
            record(ctx);
        }

        /** No schedule of its own. */
        @BackgroundTask(name = "plain")
        public void plain(TaskContext ctx) {
            record(ctx);
        }
    }

    /** A recurring task that needs an argument: it cannot be fired. */
    public static class WithArgument {
        @BackgroundTask(name = "needs_argument", cron = "*/2 * * * * *")
        public void needsArgument(String customer) {
            throw new AssertionError("must never run");
        }
    }

    /** A cron expression that is not one. */
    public static class BadCron {
        @BackgroundTask(name = "bad_cron", cron = "every five minutes")
        public void badCron() {
            throw new AssertionError("must never run");
        }
    }
}
