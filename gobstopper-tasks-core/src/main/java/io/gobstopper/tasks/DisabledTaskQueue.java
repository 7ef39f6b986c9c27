package io.gobstopper.tasks;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The queue of a switched-off task system: no file, no threads. Reads answer "nothing"; anything that would
 * change a task throws {@link TasksDisabledException}, so no submitted work is silently dropped.
 */
public class DisabledTaskQueue implements TaskQueue {

    private final String hint;

    /** @param hint how to switch the task system on, e.g. {@code "Set gobstopper.tasks.enabled=true"} */
    public DisabledTaskQueue(String hint) {
        this.hint = hint;
    }

    private TasksDisabledException disabled() {
        return new TasksDisabledException("The task system is switched off. " + hint);
    }

    /** What the exception thrown by changing calls says. */
    public String message() {
        return disabled().getMessage();
    }

    @Override
    public Submission offer(TaskRequest request) {
        throw disabled();
    }

    @Override
    public List<UUID> submitAll(List<TaskRequest> requests) {
        throw disabled();
    }

    @Override
    public List<UUID> submitChain(List<TaskRequest> requests) {
        throw disabled();
    }

    @Override
    public List<ScheduleInfo> schedules() {
        return List.of();
    }

    @Override
    public ScheduleInfo pauseSchedule(String name) {
        throw disabled();
    }

    @Override
    public ScheduleInfo resumeSchedule(String name) {
        throw disabled();
    }

    @Override
    public UUID triggerSchedule(String name) {
        throw disabled();
    }

    @Override
    public CompletableFuture<UUID> submitAsync(TaskRequest request) {
        throw disabled();
    }

    @Override
    public Optional<TaskInfo> get(UUID id) {
        return Optional.empty();
    }

    @Override
    public TaskPage list(TaskFilter filter) {
        return new TaskPage(List.of(), 0, filter.limit(), filter.offset());
    }

    @Override
    public TaskInfo cancel(UUID id) {
        throw disabled();
    }

    @Override
    public TaskInfo retry(UUID id) {
        throw disabled();
    }

    @Override
    public BulkRetryResult retryFailed(String category) {
        throw disabled();
    }

    @Override
    public void delete(UUID id) {
        throw disabled();
    }

    @Override
    public int cleanup(Duration olderThan) {
        throw disabled();
    }

    @Override
    public TaskAnalytics analytics(Duration since, TaskAnalytics.GroupBy groupBy, boolean includeArchive) {
        return TaskAnalytics.empty(since, groupBy);
    }

    @Override
    public ArchiveResult archive(Duration olderThan) {
        throw disabled();
    }

    @Override
    public void export(TaskFilter filter, ExportFormat format, java.io.OutputStream out) {
        throw disabled();
    }

    @Override
    public TaskStats stats() {
        return new TaskStats(0, Map.of(), Map.of(), 0, 0, Map.of(), List.of(), List.of());
    }

    @Override
    public List<UnrunnableTasks> unrunnable() {
        return List.of();
    }

    @Override
    public int failUnrunnable(String name) {
        throw disabled();
    }

    @Override
    public int deleteUnrunnable(String name) {
        throw disabled();
    }

    @Override
    public Map<String, TaskStats.QueueStats> queues() {
        return Map.of();
    }

    @Override
    public List<NodeInfo> nodes() {
        return List.of();
    }

    @Override
    public QueueHealth health() {
        return new QueueHealth(true, "none", "none", null);
    }

    @Override
    public List<TaskInfo> recentFailures(int limit) {
        return List.of();
    }

    @Override
    public int resizeWorkers(String category, int workers) {
        throw disabled();
    }

    @Override
    public List<TaskDescriptor> registeredTasks() {
        return List.of();
    }

    @Override
    public Optional<TaskDescriptor> describe(String name) {
        return Optional.empty();
    }

    @Override
    public boolean isEnabled() {
        return false;
    }
}
