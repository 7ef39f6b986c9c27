package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.InvalidTaskDefinitionException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import tools.jackson.databind.ObjectMapper;

/**
 * The registered tasks by name, and by alias (a former name, see {@link BackgroundTask#aliases()}). A name or alias
 * can be taken once; a second registration that uses it, as a name or as an alias, fails naming both methods.
 */
public final class TaskRegistry {

    private final Map<String, TaskDefinition> tasks = new ConcurrentSkipListMap<>();
    /** Every name and alias taken, with the task that took it. */
    private final Map<String, TaskDefinition> runnable = new ConcurrentHashMap<>();
    /** The keys of {@link #runnable}, sorted, as of the latest registration: read by every claim. */
    private volatile List<String> runnableNames = List.of();

    private final ObjectMapper mapper;

    /** @param mapper resolves parameter types; the application's mapper, so its modules apply */
    public TaskRegistry(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Registers a task, with its aliases. */
    public synchronized TaskDefinition register(TaskDefinition definition) {
        List<String> taken = new ArrayList<>();
        taken.add(definition.name());
        taken.addAll(definition.aliases());
        for (String name : taken) {
            TaskDefinition existing = runnable.get(name);
            if (existing != null) {
                throw clash(name, existing, definition);
            }
        }
        taken.forEach(name -> runnable.put(name, definition));
        tasks.put(definition.name(), definition);
        runnableNames = List.copyOf(new TreeSet<>(runnable.keySet()));
        return definition;
    }

    private static InvalidTaskDefinitionException clash(String name, TaskDefinition existing, TaskDefinition added) {
        if (name.equals(existing.name()) && name.equals(added.name())) {
            return new InvalidTaskDefinitionException("Task name '" + name + "' is declared twice: by "
                    + existing.method().describe() + " and by "
                    + added.method().describe()
                    + ". Give one of them another name with @BackgroundTask(name = \"...\").");
        }
        return new InvalidTaskDefinitionException("Task name '" + name + "' is taken twice: " + role(name, existing)
                + " and " + role(name, added) + ". A name or alias may belong to one task only: rename the task or "
                + "drop the alias.");
    }

    private static String role(String name, TaskDefinition definition) {
        return (name.equals(definition.name())
                        ? "as the name of "
                        : "as an alias of task '" + definition.name() + "' declared by ")
                + definition.method().describe();
    }

    /** Registers one annotated method of an object; {@code invocable} may be a proxy's version of the method. */
    public TaskDefinition register(Object bean, Method declared, Method invocable, BackgroundTask annotation) {
        return register(TaskDefinition.of(bean, declared, invocable, annotation, mapper));
    }

    /** Registers every {@code @BackgroundTask} method of a plain object (public or not, inherited or not). */
    public List<TaskDefinition> registerAnnotated(Object bean) {
        List<TaskDefinition> registered = new ArrayList<>();
        for (Class<?> type = bean.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Method method : type.getDeclaredMethods()) {
                BackgroundTask annotation = method.getAnnotation(BackgroundTask.class);
                if (annotation != null && !method.isBridge()) {
                    registered.add(register(bean, method, method, annotation));
                }
            }
        }
        return registered;
    }

    /** The task registered under this name or alias. */
    public Optional<TaskDefinition> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(runnable.get(name));
    }

    /** The registered names, sorted (without aliases). */
    public List<String> names() {
        return List.copyOf(tasks.keySet());
    }

    /** Every name this application runs stored tasks of: the registered names and their aliases, sorted. */
    public List<String> runnableNames() {
        return runnableNames;
    }

    /** The registered tasks, sorted by name. */
    public List<TaskDefinition> definitions() {
        return List.copyOf(tasks.values());
    }

    ObjectMapper mapper() {
        return mapper;
    }
}
