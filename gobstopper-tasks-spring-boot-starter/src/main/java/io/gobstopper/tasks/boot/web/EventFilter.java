package io.gobstopper.tasks.boot.web;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskLimits;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Which tasks an event stream client wants: those of the given categories (any, when none are given) and with the
 * given ids (any, when none are given).
 */
record EventFilter(Set<String> categories, Set<UUID> taskIds) {

    /** A category name, as {@code @BackgroundTask(category)} allows it. */
    static final EventFilter ALL = new EventFilter(Set.of(), Set.of());

    /**
     * Reads the query parameters {@code category} and {@code taskId}, each repeatable and comma-separated; empty
     * values are ignored.
     */
    static EventFilter of(List<String> categories, List<String> taskIds) {
        Set<String> wantedCategories = new LinkedHashSet<>();
        for (String category : values(categories)) {
            String name = category.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (!TaskLimits.isValidCategory(name)) {
                throw ApiException.badRequest("Query parameter 'category': '" + name + "' is not a category name ("
                        + TaskLimits.CATEGORY_RULE + "); give one or more, e.g. ?category=media,notifications");
            }
            wantedCategories.add(name);
        }
        Set<UUID> wantedIds = new LinkedHashSet<>();
        for (String id : values(taskIds)) {
            String text = id.trim();
            if (text.isEmpty()) {
                continue;
            }
            try {
                wantedIds.add(UUID.fromString(text));
            } catch (IllegalArgumentException ex) {
                throw ApiException.badRequest("Query parameter 'taskId': '" + text + "' is not a task id (task ids "
                        + "are UUIDs, e.g. ?taskId=0190b7a4-6c1e-7a55-9d3e-3f0b5a7c2e11)");
            }
        }
        return new EventFilter(Set.copyOf(wantedCategories), Set.copyOf(wantedIds));
    }

    /** The values of a repeatable parameter, each also split at commas. */
    private static List<String> values(List<String> parameter) {
        return parameter == null
                ? List.of()
                : parameter.stream()
                        .flatMap(value -> Arrays.stream(value.split(",")))
                        .toList();
    }

    boolean matches(TaskInfo task) {
        return (categories.isEmpty() || categories.contains(task.category()))
                && (taskIds.isEmpty() || taskIds.contains(task.id()));
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        if (!categories.isEmpty()) {
            text.append("category=").append(String.join(",", categories));
        }
        if (!taskIds.isEmpty()) {
            text.append(text.isEmpty() ? "" : "&").append("taskId=");
            text.append(String.join(",", taskIds.stream().map(UUID::toString).toList()));
        }
        return text.isEmpty() ? "all tasks" : text.toString();
    }
}
