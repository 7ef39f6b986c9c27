package io.gobstopper.sample;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.TaskPriority;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Notifications: quick, important, retried when the mail server hiccups. */
@Component
public class NotificationTasks {

    private static final Logger log = LoggerFactory.getLogger(NotificationTasks.class);

    @BackgroundTask(
            name = "send_email",
            category = "notifications",
            priority = TaskPriority.HIGH,
            maxRetries = 3,
            exposed = true)
    public Map<String, Object> sendEmail(String to, String subject) {
        if (to == null || !to.contains("@")) {
            throw new IllegalArgumentException("not an email address: " + to);
        }
        log.info("Sending '{}' to {}", subject, to);
        return Map.of("to", to, "subject", subject, "sentAt", Instant.now().toString());
    }
}
