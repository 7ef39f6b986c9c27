package io.gobstopper.tasks.engine;

import io.gobstopper.tasks.InvalidTaskArgumentsException;
import io.gobstopper.tasks.InvalidTaskDefinitionException;
import io.gobstopper.tasks.TaskContext;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A task's method, prepared once: its parameters as Jackson types for binding, and a method handle that takes
 * the bound arguments as one array. Binding only ever targets the declared parameter types.
 */
public final class TaskMethod {

    private static final int MAX_SHOWN_VALUE = 80;

    private record Param(String name, JavaType type, boolean primitive, String typeName) {}

    private final String taskName;
    private final Method method;
    private final MethodHandle handle;
    private final Param[] params;
    private final int contextIndex;
    private final int[] bindable;
    private final boolean namesPresent;

    /**
     * @param taskName the task's name, for messages
     * @param bean the object to invoke on ({@code null} for a static method)
     * @param method the method to invoke; on a proxy, the proxy's method so advice applies
     * @param declared the annotated method, for parameter names and messages
     * @param mapper resolves the parameter types
     */
    TaskMethod(String taskName, Object bean, Method method, Method declared, ObjectMapper mapper) {
        this.taskName = taskName;
        this.method = declared;
        Parameter[] parameters = declared.getParameters();
        this.params = new Param[parameters.length];
        int context = -1;
        List<Integer> toBind = new ArrayList<>();
        for (int i = 0; i < parameters.length; i++) {
            Parameter parameter = parameters[i];
            if (parameter.getType() == TaskContext.class) {
                if (context >= 0) {
                    throw new InvalidTaskDefinitionException(
                            describe() + " declares more than one TaskContext parameter; keep one");
                }
                context = i;
            } else {
                toBind.add(i);
            }
            JavaType type = mapper.constructType(parameter.getParameterizedType());
            params[i] = new Param(
                    parameter.getName(),
                    type,
                    parameter.getType().isPrimitive(),
                    parameter.getType().getSimpleName());
        }
        this.contextIndex = context;
        this.bindable = toBind.stream().mapToInt(Integer::intValue).toArray();
        this.namesPresent = parameters.length == 0 || parameters[0].isNamePresent();
        this.handle = prepare(bean, method, parameters.length);
    }

    private MethodHandle prepare(Object bean, Method target, int arity) {
        boolean isStatic = Modifier.isStatic(target.getModifiers());
        if (!isStatic && bean == null) {
            throw new InvalidTaskDefinitionException(
                    describe() + " is an instance method but no object was given to call it on");
        }
        try {
            target.setAccessible(true);
            MethodHandle mh = MethodHandles.lookup().unreflect(target);
            if (!isStatic) {
                mh = mh.bindTo(bean);
            }
            return mh.asSpreader(Object[].class, arity).asType(MethodType.methodType(Object.class, Object[].class));
        } catch (IllegalAccessException | RuntimeException ex) {
            throw new InvalidTaskDefinitionException(describe() + " cannot be called: " + ex.getMessage()
                    + ". Make the method (and its class) public, or open its package.");
        }
    }

    /** The method as {@code com.example.Mailer#send(String, String)}. */
    public String describe() {
        return method.getDeclaringClass().getName() + "#" + method.getName() + "("
                + Arrays.stream(method.getParameterTypes())
                        .map(Class::getSimpleName)
                        .collect(Collectors.joining(", "))
                + ")";
    }

    Method method() {
        return method;
    }

    /**
     * Binds JSON arguments to the parameters.
     *
     * @param args positional arguments (a JSON array)
     * @param kwargs named arguments (a JSON object)
     * @param mapper the strict mapper that converts each value to its parameter's declared type
     * @return the invocation arguments, with the TaskContext slot left empty
     * @throws InvalidTaskArgumentsException naming the parameter that does not fit
     */
    Object[] bind(JsonNode args, JsonNode kwargs, ObjectMapper mapper) {
        Object[] values = new Object[params.length];
        boolean[] given = new boolean[params.length];
        if (args.size() > bindable.length) {
            throw invalid("takes " + bindable.length + " argument" + (bindable.length == 1 ? "" : "s") + " "
                    + signature() + ", got " + args.size() + ": " + shorten(args.toString()));
        }
        for (int i = 0; i < args.size(); i++) {
            int index = bindable[i];
            values[index] = convert(index, args.get(i), mapper);
            given[index] = true;
        }
        for (Map.Entry<String, JsonNode> entry : kwargs.properties()) {
            int index = indexOf(entry.getKey());
            if (index < 0) {
                throw invalid(
                        "has no parameter '" + entry.getKey() + "' (given " + shorten(String.valueOf(entry.getValue()))
                                + "); its parameters are " + signature()
                                + (namesPresent ? "" : " (compile with -parameters to use parameter names)"));
            }
            if (given[index]) {
                throw invalid("got parameter '" + entry.getKey() + "' both by position and by name; give it once");
            }
            values[index] = convert(index, entry.getValue(), mapper);
            given[index] = true;
        }
        for (int index : bindable) {
            if (!given[index]) {
                Param param = params[index];
                throw invalid("is missing argument '" + param.name() + "' (" + param.typeName() + "); it takes "
                        + signature());
            }
        }
        return values;
    }

    /** The name of the parameter the positional argument at {@code position} (0-based) binds to, or {@code null}. */
    String positionalName(int position) {
        return position >= 0 && position < bindable.length ? params[bindable[position]].name() : null;
    }

    private int indexOf(String name) {
        for (int index : bindable) {
            if (params[index].name().equals(name)) {
                return index;
            }
        }
        return -1;
    }

    private Object convert(int index, JsonNode value, ObjectMapper mapper) {
        Param param = params[index];
        if (value == null || value.isNull()) {
            if (param.primitive()) {
                throw invalid("argument '" + param.name() + "' must be " + param.typeName() + ", got null");
            }
            return null;
        }
        try {
            return mapper.treeToValue(value, param.type());
        } catch (JacksonException ex) {
            throw new InvalidTaskArgumentsException(
                    "Task '" + taskName + "': argument '" + param.name() + "' must be " + param.typeName() + ", got "
                            + shorten(value.toString()) + " (" + reason(ex) + ")",
                    ex);
        }
    }

    /** Jackson's reason, without its advice to the developer on how to configure Jackson. */
    private static String reason(JacksonException ex) {
        String reason = ex.getOriginalMessage();
        int advice = reason.indexOf(" (but could if");
        return advice < 0 ? reason : reason.substring(0, advice);
    }

    private static String shorten(String text) {
        return text.length() <= MAX_SHOWN_VALUE ? text : text.substring(0, MAX_SHOWN_VALUE) + "...";
    }

    private InvalidTaskArgumentsException invalid(String problem) {
        return new InvalidTaskArgumentsException("Task '" + taskName + "' " + problem);
    }

    /** The bindable parameters as {@code (to: String, subject: String)}. */
    String signature() {
        return Arrays.stream(bindable)
                .mapToObj(i -> params[i].name() + ": " + params[i].typeName())
                .collect(Collectors.joining(", ", "(", ")"));
    }

    /**
     * Invokes the method.
     *
     * @param arguments from {@link #bind}; the TaskContext slot is filled here
     * @return what the method returned ({@code null} for void)
     * @throws Throwable whatever the method threw, unwrapped
     */
    Object invoke(Object[] arguments, TaskContext context) throws Throwable {
        if (contextIndex >= 0) {
            arguments[contextIndex] = context;
        }
        return (Object) handle.invokeExact(arguments);
    }
}
