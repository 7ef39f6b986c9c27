package io.gobstopper.tasks;

import java.util.UUID;

/**
 * The answer to a submit: the task's id, and whether a new task was created. A submit with a
 * {@link TaskRequest#uniqueKey() unique key} that an unfinished task already holds creates nothing and answers that
 * task's id.
 *
 * @param id the task's id
 * @param created {@code true} for a new task, {@code false} when an unfinished task with the same unique key exists
 */
public record Submission(UUID id, boolean created) {}
