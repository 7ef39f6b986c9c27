package io.gobstopper.tasks.store;

import io.gobstopper.tasks.TaskStateException;
import io.gobstopper.tasks.TaskStatus;
import java.util.Collection;

/**
 * A store refused to insert new tasks because another unfinished task took one of their unique keys after the keys
 * were checked (submitted at the same moment, on this or another instance). Nothing was stored; a submit made again
 * finds the task that holds the key, which is what the engine does.
 */
public final class UniqueKeyTakenException extends TaskStateException {

    private static final long serialVersionUID = 1L;

    public UniqueKeyTakenException(Collection<String> keys) {
        super(
                TaskStatus.PENDING,
                "Unique key "
                        + String.join(
                                ", ", keys.stream().map(key -> "'" + key + "'").toList())
                        + " was taken by another unfinished task submitted at the same moment (on this or another instance); "
                        + "submit again to get that task's id");
    }
}
