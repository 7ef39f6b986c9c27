package io.gobstopper.tasks;

/**
 * Which tasks to list, and which page: {@code null} filters match everything. Listing is newest first.
 *
 * @param category only this category, or {@code null}
 * @param status only this status, or {@code null}
 * @param name only this task name, or {@code null}
 * @param limit page size, 1 to {@value #MAX_LIMIT}
 * @param offset tasks to skip, 0 or more
 */
public record TaskFilter(String category, TaskStatus status, String name, int limit, int offset) {

    /** The default page size. */
    public static final int DEFAULT_LIMIT = 50;

    /** The largest page size. */
    public static final int MAX_LIMIT = 1000;

    public TaskFilter {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException(
                    "limit must be between 1 and " + MAX_LIMIT + ", got " + limit + ": page through with offset");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be 0 or more, got " + offset);
        }
        category = blankToNull(category);
        name = blankToNull(name);
    }

    /** The first page of every task. */
    public static TaskFilter all() {
        return new TaskFilter(null, null, null, DEFAULT_LIMIT, 0);
    }

    /** The first page of tasks with this status. */
    public static TaskFilter byStatus(TaskStatus status) {
        return new TaskFilter(null, status, null, DEFAULT_LIMIT, 0);
    }

    /** The same filter with another page. */
    public TaskFilter page(int limit, int offset) {
        return new TaskFilter(category, status, name, limit, offset);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
