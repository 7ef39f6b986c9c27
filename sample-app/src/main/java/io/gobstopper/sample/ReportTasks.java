package io.gobstopper.sample;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.TaskContext;
import io.gobstopper.tasks.TaskPriority;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Reports: slow and heavy, so their category has one worker (see application.properties), and a run that takes
 * longer than a minute is stopped and counts as a failed attempt.
 */
@Component
public class ReportTasks {

    @BackgroundTask(
            name = "generate_report",
            category = "reports",
            priority = TaskPriority.LOW,
            exposed = true,
            timeout = "1m")
    public Map<String, Object> generateReport(String kind, LocalDate from, LocalDate to, TaskContext context)
            throws InterruptedException {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("the report ends (" + to + ") before it starts (" + from + ")");
        }
        long days = to.toEpochDay() - from.toEpochDay() + 1;
        for (int percent = 0; percent < 100; percent += 20) {
            context.reportProgress(percent, "aggregating " + kind);
            TimeUnit.MILLISECONDS.sleep(400);
        }
        return Map.of("kind", kind, "days", days, "rows", days * 1_440);
    }
}
