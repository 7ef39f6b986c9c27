package io.gobstopper.tasks;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param tasks the tasks on this page, newest first
 * @param total how many tasks match the filter in all
 * @param limit the page size asked for
 * @param offset the tasks skipped
 */
public record TaskPage(List<TaskInfo> tasks, long total, int limit, int offset) {

    public TaskPage {
        tasks = List.copyOf(tasks);
    }
}
