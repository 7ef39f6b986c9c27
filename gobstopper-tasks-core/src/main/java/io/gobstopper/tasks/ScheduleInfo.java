package io.gobstopper.tasks;

import java.time.Instant;

/**
 * A recurring task's schedule.
 *
 * @param name the task's name
 * @param cron the cron expression (six fields, Spring syntax)
 * @param zone the time zone the expression is read in
 * @param nextRunAt the next fire time, or {@code null} while paused
 * @param lastRunAt the fire time of the latest run it started, or {@code null} if it never fired
 * @param paused whether it is paused (kept across restarts)
 */
public record ScheduleInfo(
        String name, String cron, String zone, Instant nextRunAt, Instant lastRunAt, boolean paused) {}
