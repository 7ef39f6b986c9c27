package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.InvalidTaskDefinitionException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import tools.jackson.databind.ObjectMapper;

/** The registered tasks by name. A name can be registered once; a second registration fails naming both methods. */
public final class TaskRegistry {

    private final Map<String, TaskDefinition> tasks = new ConcurrentSkipListMap<>();
    private final ObjectMapper mapper;

    /** @param mapper resolves parameter types; the application's mapper, so its modules apply */
    public TaskRegistry(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Registers a task. */
    public TaskDefinition register(TaskDefinition definition) {
        TaskDefinition existing = tasks.putIfAbsent(definition.name(), definition);
        if (existing != null) {
            throw new InvalidTaskDefinitionException("Task name '" + definition.name() + "' is declared twice: by "
                    + existing.method().describe() + " and by "
                    + definition.method().describe()
                    + ". Give one of them another name with @BackgroundTask(name = \"...\").");
        }
        return definition;
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

    public Optional<TaskDefinition> find(String name) {
        return Optional.ofNullable(tasks.get(name));
    }

    /** The registered names, sorted. */
    public List<String> names() {
        return List.copyOf(tasks.keySet());
    }

    /** The registered tasks, sorted by name. */
    public List<TaskDefinition> definitions() {
        return List.copyOf(tasks.values());
    }

    ObjectMapper mapper() {
        return mapper;
    }
}
