package io.gobstopper.tasks.store.memory;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.store.support.TextExport;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * A task as the text values of an exported row, in the order of {@link TextExport#COLUMNS}, written as the PostgreSQL
 * store writes them: times in UTC to the microsecond, parents as comma-separated ids, numbers as text.
 */
final class ExportRow {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private ExportRow() {}

    static String[] of(TaskInfo task) {
        return new String[] {
            task.id().toString(),
            task.name(),
            task.category(),
            Integer.toString(task.priority().level()),
            task.status().name(),
            time(task.createdAt()),
            time(task.startedAt()),
            time(task.completedAt()),
            time(task.runAt()),
            task.result(),
            task.error(),
            Integer.toString(task.retryCount()),
            Integer.toString(task.maxRetries()),
            task.args(),
            task.kwargs(),
            Integer.toString(task.progress()),
            task.progressMessage(),
            task.dependsOn().isEmpty()
                    ? null
                    : String.join(
                            ",", task.dependsOn().stream().map(UUID::toString).toList()),
            task.uniqueKey()
        };
    }

    private static String time(Instant instant) {
        return instant == null ? null : TIME.format(instant);
    }
}
