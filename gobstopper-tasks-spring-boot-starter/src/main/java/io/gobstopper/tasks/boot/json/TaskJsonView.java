package io.gobstopper.tasks.boot.json;

import io.gobstopper.tasks.NodeInfo;
import io.gobstopper.tasks.ScheduleInfo;
import io.gobstopper.tasks.TaskAnalytics;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskStats;
import io.gobstopper.tasks.UnrunnableTasks;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * How tasks look as JSON in the REST API and Actuator: camelCase fields in a fixed order, times as ISO-8601 UTC,
 * durations as ISO-8601 strings, and {@code args}, {@code kwargs} and {@code result} as JSON values. Built as trees, so the application's own
 * Jackson settings (naming strategies, date formats) cannot change the contract.
 */
public final class TaskJsonView {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonMapper parser = JsonMapper.builder().build();
    private final InstantSource clock;

    public TaskJsonView(InstantSource clock) {
        this.clock = clock;
    }

    /** Analytics: the window, the groups with their counts and percentiles (seconds), and per-minute throughput. */
    public ObjectNode analytics(TaskAnalytics analytics) {
        ObjectNode node = NODES.objectNode();
        node.put("since", analytics.since().toString());
        node.put("groupBy", analytics.groupBy().column());
        ArrayNode groups = node.putArray("groups");
        for (TaskAnalytics.Group group : analytics.groups()) {
            ObjectNode item = groups.addObject();
            item.put("key", group.key());
            item.put("total", group.total());
            ObjectNode byStatus = item.putObject("byStatus");
            group.byStatus().forEach((status, count) -> byStatus.put(status.name(), count));
            item.put("errorRate", group.errorRate());
            ObjectNode execution = item.putObject("execution");
            seconds(execution, "p50", group.execution().p50());
            seconds(execution, "p95", group.execution().p95());
            seconds(execution, "p99", group.execution().p99());
            seconds(execution, "max", group.execution().max());
            ObjectNode wait = item.putObject("wait");
            seconds(wait, "p50", group.waiting().p50());
            seconds(wait, "p95", group.waiting().p95());
        }
        ArrayNode throughput = node.putArray("throughput");
        for (TaskAnalytics.Minute minute : analytics.throughput()) {
            ObjectNode item = throughput.addObject();
            time(item, "minute", minute.minute());
            item.put("succeeded", minute.succeeded());
            item.put("failed", minute.failed());
        }
        return node;
    }

    private static void seconds(ObjectNode node, String field, Double value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }

    /** One task. */
    public ObjectNode task(TaskInfo task) {
        ObjectNode node = NODES.objectNode();
        node.put("id", task.id().toString());
        node.put("name", task.name());
        node.put("category", task.category());
        node.put("priority", task.priority().name());
        node.put("status", task.status().name());
        time(node, "createdAt", task.createdAt());
        time(node, "startedAt", task.startedAt());
        time(node, "completedAt", task.completedAt());
        time(node, "runAt", task.runAt());
        Double elapsed = task.elapsedSeconds(clock.instant());
        if (elapsed == null) {
            node.putNull("elapsedSeconds");
        } else {
            node.put("elapsedSeconds", elapsed);
        }
        node.set("result", json(task.result()));
        node.put("error", task.error());
        node.put("retryCount", task.retryCount());
        node.put("maxRetries", task.maxRetries());
        node.set("args", json(task.args()));
        node.set("kwargs", json(task.kwargs()));
        node.put("progress", task.progress());
        node.put("progressMessage", task.progressMessage());
        ArrayNode dependsOn = node.putArray("dependsOn");
        task.dependsOn().forEach(parent -> dependsOn.add(parent.toString()));
        node.put("uniqueKey", task.uniqueKey());
        node.put("timeout", task.timeout() == null ? null : task.timeout().toString());
        node.put("cancelRequested", task.cancelRequested());
        node.put("nodeId", task.nodeId());
        return node;
    }

    /** An instance that works on the store: {@code {nodeId, startedAt, lastSeen, running, self}}. */
    public ObjectNode node(NodeInfo info) {
        ObjectNode node = NODES.objectNode().put("nodeId", info.nodeId());
        time(node, "startedAt", info.startedAt());
        time(node, "lastSeen", info.lastSeen());
        return node.put("running", info.running()).put("self", info.self());
    }

    /** Several instances, in order (this one first). */
    public ArrayNode nodes(Collection<NodeInfo> nodes) {
        ArrayNode array = NODES.arrayNode();
        nodes.forEach(info -> array.add(node(info)));
        return array;
    }

    /** A recurring task's schedule. */
    public ObjectNode schedule(ScheduleInfo schedule) {
        ObjectNode node = NODES.objectNode()
                .put("name", schedule.name())
                .put("cron", schedule.cron())
                .put("zone", schedule.zone());
        time(node, "nextRunAt", schedule.nextRunAt());
        time(node, "lastRunAt", schedule.lastRunAt());
        return node.put("paused", schedule.paused());
    }

    /** Several schedules, in order. */
    public ArrayNode schedules(Collection<ScheduleInfo> schedules) {
        ArrayNode array = NODES.arrayNode();
        schedules.forEach(schedule -> array.add(schedule(schedule)));
        return array;
    }

    /** Several tasks, in order. */
    public ArrayNode tasks(Collection<TaskInfo> tasks) {
        ArrayNode array = NODES.arrayNode();
        tasks.forEach(task -> array.add(task(task)));
        return array;
    }

    /** The counts of {@code GET {base-path}/stats}, also sent as the event stream's {@code stats} event. */
    public ObjectNode stats(TaskStats stats) {
        ObjectNode node = NODES.objectNode();
        node.put("total", stats.total());
        ObjectNode byStatus = node.putObject("byStatus");
        stats.byStatus().forEach((status, count) -> byStatus.put(status.name(), count));
        ObjectNode byCategory = node.putObject("byCategory");
        stats.byCategory().forEach(byCategory::put);
        node.put("running", stats.running());
        node.put("queued", stats.queued());
        node.set("queues", queues(stats.queues()));
        stats.registeredTasks().forEach(node.putArray("registeredTasks")::add);
        node.set("unrunnable", unrunnable(stats.unrunnable()));
        return node;
    }

    /** The stored tasks waiting under names no task of the application is registered under: {name, count, reason}. */
    public ArrayNode unrunnable(List<UnrunnableTasks> unrunnable) {
        ArrayNode node = NODES.arrayNode();
        unrunnable.forEach(tasks -> node.addObject()
                .put("name", tasks.name())
                .put("count", tasks.count())
                .put("reason", tasks.reason()));
        return node;
    }

    /** Each category's queue. */
    public ObjectNode queues(Map<String, TaskStats.QueueStats> queues) {
        ObjectNode node = NODES.objectNode();
        queues.forEach((category, queue) -> node.set(
                category,
                NODES.objectNode()
                        .put("queued", queue.queued())
                        .put("running", queue.running())
                        .put("workers", queue.workers())));
        return node;
    }

    private static void time(ObjectNode node, String field, Instant instant) {
        node.put(field, instant == null ? null : instant.toString());
    }

    private JsonNode json(String text) {
        if (text == null) {
            return NODES.nullNode();
        }
        try {
            return parser.readTree(text);
        } catch (JacksonException ex) {
            return NODES.stringNode(text); // not JSON after all (edited by hand?): show it as it is
        }
    }
}
