package io.gobstopper.tasks;

/**
 * Stored tasks that wait under a name this application registers no task under (the task was renamed or removed,
 * and the name is not one of its {@linkplain BackgroundTask#aliases() aliases}): they stay PENDING, this instance
 * never takes them, and they run once an instance that knows the name does (during a rolling deploy, an older
 * instance). {@link TaskQueue#failUnrunnable} and {@link TaskQueue#deleteUnrunnable} end them.
 *
 * @param name the stored task name
 * @param count how many tasks wait under it (PENDING or RETRY)
 * @param reason why they do not run here
 */
public record UnrunnableTasks(String name, long count, String reason) {

    /** The tasks waiting under a name with the reason they do not run here. */
    public static UnrunnableTasks of(String name, long count) {
        return new UnrunnableTasks(name, count, reason(name));
    }

    /** Why tasks under this name do not run here. */
    public static String reason(String name) {
        return "no task named '" + name + "' is registered in this application";
    }
}
