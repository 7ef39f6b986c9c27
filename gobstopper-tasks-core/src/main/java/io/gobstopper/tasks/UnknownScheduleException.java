package io.gobstopper.tasks;

import java.util.List;

/** No recurring task has this name; the message lists those that do. */
public class UnknownScheduleException extends TaskException {

    private static final long serialVersionUID = 1L;

    public UnknownScheduleException(String name, List<String> known) {
        super("No recurring task named '" + name + "'. "
                + (known.isEmpty()
                        ? "No task has a schedule: declare one with @BackgroundTask(cron = \"...\") or set "
                                + "gobstopper.tasks.schedules.<task-name>.cron"
                        : "Recurring tasks: " + String.join(", ", known)));
    }
}
