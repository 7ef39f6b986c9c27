package io.gobstopper.sample;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.TaskPriority;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Recurring work: a cheap heartbeat at the start of every minute, to show a schedule in the dashboard and the API. */
@Component
public class HousekeepingTasks {

    private static final Logger log = LoggerFactory.getLogger(HousekeepingTasks.class);

    private final AtomicLong beats = new AtomicLong();

    /**
     * Runs once a minute (second 0), in UTC; {@code gobstopper.tasks.schedules.heartbeat.cron} changes that, and
     * {@code -} switches it off.
     */
    @BackgroundTask(
            name = "heartbeat",
            category = "housekeeping",
            priority = TaskPriority.LOW,
            cron = "0 * * * * *",
            zone = "UTC")
    public Map<String, Object> heartbeat() {
        long beat = beats.incrementAndGet();
        log.info("Heartbeat {} since this instance started", beat);
        return Map.of("beat", beat);
    }
}
