package io.gobstopper.tasks.store.support;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskStatus;

/**
 * One row to write: the task's full state, the status the store must still hold for an update to apply
 * ({@code null} for an insert), and the task's {@linkplain io.gobstopper.tasks.store.LiveTask#version() version} the
 * state is of.
 *
 * @param task the state to write
 * @param expectedStatus the guard for an update, {@code null} for an insert
 * @param version the version of the task this state is
 */
public record TaskWrite(TaskInfo task, TaskStatus expectedStatus, long version) {}
