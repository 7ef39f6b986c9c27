package io.gobstopper.tasks.store;

import io.gobstopper.tasks.ArchiveResult;
import io.gobstopper.tasks.TaskAnalytics;
import java.time.Duration;
import java.time.Instant;

/** A store's capability to move ended tasks out of its live table into an archive that analytics can still read. */
public interface TaskArchive {

    /**
     * Moves ended tasks that completed before the cut-off to the archive and deletes them from the live table; every
     * task ends up in exactly one of the two, even across a crash.
     */
    ArchiveResult archiveCompletedBefore(Instant cutoff);

    /** {@link TaskStore#analytics} over the live tasks and the archived ones together. */
    TaskAnalytics analyticsWithArchive(Duration since, Instant now, TaskAnalytics.GroupBy groupBy);
}
