package io.gobstopper.tasks;

/**
 * The outcome of retrying every FAILED task (of a category).
 *
 * @param retried tasks put back to PENDING
 * @param totalFailed FAILED tasks found; those whose task is no longer registered stay FAILED
 */
public record BulkRetryResult(int retried, int totalFailed) {}
