package io.gobstopper.tasks;

import java.util.Collection;

/** No task is registered under the submitted name. */
public class UnknownTaskException extends TaskException {

    private static final long serialVersionUID = 1L;

    private final String taskName;

    public UnknownTaskException(String taskName, Collection<String> registered) {
        super("No task named '" + taskName + "' is registered"
                + (registered.isEmpty()
                        ? "; annotate a method with @BackgroundTask to register one"
                        : "; registered tasks: " + String.join(", ", registered)));
        this.taskName = taskName;
    }

    /** The name that was not found. */
    public String taskName() {
        return taskName;
    }
}
