package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.InvalidTaskDefinitionException;
import io.gobstopper.tasks.ScheduleInfo;
import io.gobstopper.tasks.UnknownScheduleException;
import io.gobstopper.tasks.schedule.CronSchedule;
import io.gobstopper.tasks.store.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recurring tasks: one timer per schedule, on the engine's scheduler thread, for its next fire time. A fire
 * stores the run together with its fire time, once (see {@link TaskStore#insertScheduled}), so a fire time has one
 * run across restarts (and instances sharing a store). A fire time missed while the application was down runs once
 * at startup, however many were missed. Paused schedules stay paused across restarts.
 *
 * <p>In a store shared by several instances a pause is the store's, whichever instance set it: every instance keeps
 * its timers, the store refuses the fires of a paused schedule (and takes them again once any instance resumes it),
 * and the listing shows the stored state.
 */
final class RecurringTasks {

    private static final Logger log = LoggerFactory.getLogger(RecurringTasks.class);

    /** Most fire times stepped over in one window when looking for the latest one missed. */
    private static final int MAX_MISSED_STEPS = 100_000;

    /** Stores the run of a recurring task for a fire time; answers whether it was stored (not already there). */
    interface Fire {
        boolean fire(TaskDefinition task, Instant fireTime);
    }

    private static final class Schedule {
        final TaskDefinition task;
        final CronSchedule cron;
        boolean paused;
        Instant lastFire;
        Instant nextFire;
        ScheduledFuture<?> timer;

        Schedule(TaskDefinition task, CronSchedule cron) {
            this.task = task;
            this.cron = cron;
        }
    }

    private final Map<String, Schedule> schedules = new TreeMap<>();
    private final TaskStore store;
    /** Whether the store is shared by several instances: then it, not this instance, knows whether a schedule is paused. */
    private final boolean shared;

    private final InstantSource clock;
    private final Fire fire;
    private ScheduledExecutorService timers;

    /**
     * Reads the schedules of the registered tasks, with the settings' overrides.
     *
     * @throws InvalidTaskDefinitionException naming the task or property at fault
     */
    RecurringTasks(
            TaskRegistry registry, TaskEngineSettings settings, TaskStore store, InstantSource clock, Fire fire) {
        this.store = store;
        this.shared = store instanceof io.gobstopper.tasks.store.SharedTaskStore;
        this.clock = clock;
        this.fire = fire;
        for (TaskDefinition task : registry.definitions()) {
            if (task.cron() != null) {
                schedules.put(task.name(), new Schedule(task, task.cron()));
            }
        }
        settings.schedules().forEach((name, override) -> {
            String property = "gobstopper.tasks.schedules." + name;
            TaskDefinition task = registry.find(name)
                    .orElseThrow(() -> new InvalidTaskDefinitionException(property + ": no task named '" + name
                            + "' is registered; registered tasks: " + registry.names()));
            if ("-".equals(override.cron() == null ? null : override.cron().trim())) {
                schedules.remove(name);
                return;
            }
            String expression = override.cron() != null
                    ? override.cron()
                    : task.cron() == null ? null : task.cron().expression();
            if (expression == null || expression.isBlank()) {
                throw new InvalidTaskDefinitionException(
                        property + ".cron must be set: the task has no cron of its own");
            }
            String zone = override.zone() != null
                    ? override.zone()
                    : task.cron() == null ? null : task.cron().zoneId();
            try {
                schedules.put(name, new Schedule(task, CronSchedule.parse(expression, zone)));
            } catch (IllegalArgumentException ex) {
                throw new InvalidTaskDefinitionException(property + ": " + ex.getMessage());
            }
        });
    }

    /** The tasks with a schedule, which must be able to run without arguments. */
    List<TaskDefinition> tasks() {
        return schedules.values().stream().map(schedule -> schedule.task).toList();
    }

    /** Reads the stored state, runs missed fire times once, and starts the timers. */
    synchronized void start(ScheduledExecutorService timers) {
        this.timers = timers;
        if (schedules.isEmpty()) {
            return;
        }
        Map<String, TaskStore.ScheduleState> states = store.scheduleStates();
        Instant now = clock.instant();
        for (Schedule schedule : schedules.values()) {
            TaskStore.ScheduleState state = states.get(schedule.task.name());
            schedule.paused = state != null && state.paused();
            schedule.lastFire = state == null ? null : state.lastFireAt();
            if (schedule.paused) {
                if (shared) {
                    arm(schedule, now); // the store refuses its fires until an instance resumes it
                }
                continue;
            }
            Instant missed = latestMissed(schedule, now);
            if (missed != null) {
                log.info(
                        "Recurring task {} missed its fire time {} (and any before it) while the application was "
                                + "down; it runs once now",
                        schedule.task.name(),
                        missed);
                fire(schedule, missed);
            } else {
                arm(schedule, now);
            }
        }
    }

    /** The latest fire time after the last run and not after now, or {@code null}. */
    private static Instant latestMissed(Schedule schedule, Instant now) {
        if (schedule.lastFire == null) {
            return null; // never fired: it starts with its next fire time
        }
        // look back from now over growing windows, so a frequent cron after a long downtime needs few steps
        for (Duration window = Duration.ofSeconds(2); ; window = window.multipliedBy(16)) {
            Instant from = now.minus(window).isAfter(schedule.lastFire) ? now.minus(window) : schedule.lastFire;
            Instant missed = null;
            int steps = 0;
            for (Instant next = schedule.cron.next(from);
                    next != null && !next.isAfter(now);
                    next = schedule.cron.next(next)) {
                missed = next;
                if (++steps > MAX_MISSED_STEPS) {
                    break; // cannot happen: a smaller window would have found one
                }
            }
            if (missed != null || from.equals(schedule.lastFire)) {
                return missed;
            }
        }
    }

    private void arm(Schedule schedule, Instant after) {
        if (schedule.timer != null) {
            schedule.timer.cancel(false);
        }
        schedule.nextFire = schedule.cron.next(after);
        if (schedule.nextFire == null) {
            return;
        }
        Instant fireTime = schedule.nextFire;
        long delay = Math.max(0, Duration.between(clock.instant(), fireTime).toNanos());
        try {
            schedule.timer = timers.schedule(() -> onTimer(schedule, fireTime), delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            schedule.timer = null; // shutting down
        }
    }

    private synchronized void onTimer(Schedule schedule, Instant fireTime) {
        if ((schedule.paused && !shared) || !fireTime.equals(schedule.nextFire)) {
            return; // paused, or re-armed since
        }
        Instant now = clock.instant();
        if (now.isBefore(fireTime)) { // the timer's clock ran ahead of the wall clock
            arm(schedule, fireTime.minusNanos(1));
            return;
        }
        fire(schedule, fireTime);
    }

    private void fire(Schedule schedule, Instant fireTime) {
        try {
            if (fire.fire(schedule.task, fireTime)) {
                schedule.lastFire = fireTime;
                schedule.paused = false; // in a shared store, another instance may have resumed it
            } else {
                log.debug(
                        "Recurring task {} already has its run for {}{}",
                        schedule.task.name(),
                        fireTime,
                        shared ? ", or is paused" : "");
            }
        } catch (RuntimeException ex) {
            log.warn(
                    "Recurring task {} could not be stored for its fire time {}; it fires again at the next one: {}",
                    schedule.task.name(),
                    fireTime,
                    ex.getMessage());
        }
        Instant now = clock.instant();
        arm(schedule, fireTime.isAfter(now) ? fireTime : now);
    }

    synchronized List<ScheduleInfo> list() {
        if (shared) {
            readStoredStates();
        }
        List<ScheduleInfo> all = new ArrayList<>(schedules.size());
        schedules.values().forEach(schedule -> all.add(info(schedule)));
        return all;
    }

    synchronized ScheduleInfo pause(String name) {
        Schedule schedule = find(name);
        store.pauseSchedule(name);
        schedule.paused = true;
        if (shared) {
            return info(schedule); // the timer stays: the store refuses its fires, until any instance resumes it
        }
        schedule.nextFire = null;
        if (schedule.timer != null) {
            schedule.timer.cancel(false);
            schedule.timer = null;
        }
        return info(schedule);
    }

    synchronized ScheduleInfo resume(String name) {
        Schedule schedule = find(name);
        // the fire times missed while paused count as handled, also for a restart before the next fire
        store.resumeSchedule(name, clock.instant());
        if (schedule.paused || shared) {
            schedule.paused = false;
            arm(schedule, clock.instant());
        }
        return info(schedule);
    }

    /** Shared store: takes whether each schedule is paused, and its latest fire, from the store. */
    private void readStoredStates() {
        Map<String, TaskStore.ScheduleState> states = store.scheduleStates();
        for (Schedule schedule : schedules.values()) {
            TaskStore.ScheduleState state = states.get(schedule.task.name());
            if (state == null) {
                continue;
            }
            schedule.paused = state.paused();
            Instant stored = state.lastFireAt();
            if (stored != null && (schedule.lastFire == null || stored.isAfter(schedule.lastFire))) {
                schedule.lastFire = stored;
            }
        }
    }

    /** The task that runs a schedule. */
    synchronized TaskDefinition task(String name) {
        return find(name).task;
    }

    synchronized void stop() {
        schedules.values().forEach(schedule -> {
            if (schedule.timer != null) {
                schedule.timer.cancel(false);
            }
        });
    }

    private Schedule find(String name) {
        Schedule schedule = schedules.get(name);
        if (schedule == null) {
            throw new UnknownScheduleException(name, List.copyOf(schedules.keySet()));
        }
        return schedule;
    }

    private static ScheduleInfo info(Schedule schedule) {
        return new ScheduleInfo(
                schedule.task.name(),
                schedule.cron.expression(),
                schedule.cron.zoneId(),
                schedule.paused ? null : schedule.nextFire,
                schedule.lastFire,
                schedule.paused);
    }
}
