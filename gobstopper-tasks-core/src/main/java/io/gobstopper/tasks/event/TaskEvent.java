package io.gobstopper.tasks.event;

import io.gobstopper.tasks.TaskInfo;
import java.time.Instant;

/**
 * One life-cycle change.
 *
 * @param type what happened
 * @param task the task just after it happened
 * @param at when it happened
 */
public record TaskEvent(TaskEventType type, TaskInfo task, Instant at) {}
