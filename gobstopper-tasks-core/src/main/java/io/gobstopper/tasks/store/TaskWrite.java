package io.gobstopper.tasks.store;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskStatus;

/**
 * One row to write: the task's full state, and the status the store must still hold for an update to apply
 * ({@code null} for an insert).
 *
 * @param task the state to write
 * @param expectedStatus the guard for an update, {@code null} for an insert
 */
public record TaskWrite(TaskInfo task, TaskStatus expectedStatus) {}
