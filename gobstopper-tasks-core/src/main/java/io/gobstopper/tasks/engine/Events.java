package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.event.TaskEvent;
import io.gobstopper.tasks.event.TaskEventType;
import io.gobstopper.tasks.event.TaskListener;
import io.gobstopper.tasks.store.LiveTask;
import java.time.InstantSource;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells the listeners of every life-cycle change; a listener that throws is logged and the others still hear. */
final class Events {

    private static final Logger log = LoggerFactory.getLogger(TaskEngine.class);

    private final List<TaskListener> listeners;
    private final InstantSource clock;

    Events(List<TaskListener> listeners, InstantSource clock) {
        this.listeners = List.copyOf(listeners);
        this.clock = clock;
    }

    /** A change of a task this instance holds; the snapshot is taken only when someone listens. */
    void emit(TaskEventType type, LiveTask task) {
        if (!listeners.isEmpty()) {
            emit(type, task.snapshot());
        }
    }

    void emit(TaskEventType type, TaskInfo task) {
        if (listeners.isEmpty()) {
            return;
        }
        TaskEvent event = new TaskEvent(type, task, clock.instant());
        for (TaskListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException ex) {
                log.warn("Task listener {} failed on {} of task {}", listener, type, task.id(), ex);
            }
        }
    }

    /** Whether anyone here wants to hear of other instances' changes now (an event stream with clients, say). */
    boolean wantsRemote() {
        for (TaskListener listener : listeners) {
            if (listener.wantsRemoteEvents()) {
                return true;
            }
        }
        return false;
    }

    /** A change another instance made (or a shared store's housekeeping). */
    void remote(TaskEventType type, TaskInfo task) {
        TaskEvent event = new TaskEvent(type, task, clock.instant());
        for (TaskListener listener : listeners) {
            try {
                if (listener.wantsRemoteEvents()) {
                    listener.onRemoteEvent(event);
                }
            } catch (RuntimeException ex) {
                log.warn(
                        "Task listener {} failed on {} of task {} (from another instance)",
                        listener,
                        type,
                        task.id(),
                        ex);
            }
        }
    }
}
