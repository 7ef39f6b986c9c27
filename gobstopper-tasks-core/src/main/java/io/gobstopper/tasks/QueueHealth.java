package io.gobstopper.tasks;

/**
 * Whether the task system is doing its work.
 *
 * @param healthy whether the store answers and every worker is alive
 * @param store the kind of store ({@code duckdb})
 * @param location where the store keeps its data
 * @param problem what is wrong when not healthy, else {@code null}
 */
public record QueueHealth(boolean healthy, String store, String location, String problem) {}
