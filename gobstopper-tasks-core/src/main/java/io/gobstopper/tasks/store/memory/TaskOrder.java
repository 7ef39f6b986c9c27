package io.gobstopper.tasks.store.memory;

import io.gobstopper.tasks.TaskInfo;
import java.time.Instant;
import java.util.Comparator;
import java.util.UUID;

/** The orders the SQL stores sort tasks in, for the same listings from memory. */
final class TaskOrder {

    /**
     * Ids as the databases order them: as unsigned 128-bit numbers (their text's order), where {@link UUID#compareTo}
     * compares signed halves.
     */
    static final Comparator<UUID> ID = Comparator.comparing(UUID::getMostSignificantBits, Long::compareUnsigned)
            .thenComparing(UUID::getLeastSignificantBits, Long::compareUnsigned);

    /** By creation, then id: the order unfinished tasks are queued in at open. */
    static final Comparator<TaskInfo> OLDEST_FIRST =
            Comparator.comparing(TaskInfo::createdAt).thenComparing(TaskInfo::id, ID);

    /** The order of listings and exports. */
    static final Comparator<TaskInfo> NEWEST_FIRST = OLDEST_FIRST.reversed();

    /** The order of the recent failures: the latest to end first. */
    static final Comparator<TaskInfo> LATEST_END_FIRST = Comparator.comparing(
                    TaskInfo::completedAt, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
            .thenComparing(TaskInfo::id, ID)
            .reversed();

    private TaskOrder() {}
}
