package io.gobstopper.tasks.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.InvalidTaskArgumentsException;
import io.gobstopper.tasks.TaskContext;
import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.UnknownTaskException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.assertj.core.api.ThrowableAssertAlternative;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Arguments are bound to the declared parameter types at submit time; a submit that does not fit stores nothing. */
public interface ArgumentBindingContract extends EngineContract {

    public record Order(String sku, int quantity) {}

    /** Tasks with typed parameters; each records what it received, by task id. */
    public static class BindingTasks {
        final Map<UUID, List<Object>> received = new ConcurrentHashMap<>();

        @BackgroundTask(name = "pair")
        public String pair(String text, int number, TaskContext ctx) {
            received.put(ctx.taskId(), List.of(text, number));
            return text + number;
        }

        @BackgroundTask(name = "place_order")
        public int placeOrder(Order order, TaskContext ctx) {
            received.put(ctx.taskId(), List.of(order));
            return order.quantity();
        }

        @BackgroundTask(name = "place_orders")
        public int placeOrders(List<Order> orders, TaskContext ctx) {
            received.put(ctx.taskId(), new ArrayList<>(orders));
            return orders.size();
        }

        @BackgroundTask(name = "contextual")
        public String contextual(TaskContext ctx, String text) {
            received.put(ctx.taskId(), List.of(ctx.taskId(), ctx.taskName(), ctx.category(), ctx.attempt(), text));
            return text;
        }

        @BackgroundTask(name = "anything")
        public void anything(Object payload, TaskContext ctx) {
            received.put(ctx.taskId(), new ArrayList<>(java.util.Collections.singletonList(payload)));
        }
    }

    /** An object whose only property is itself. */
    public static class Loop {
        public Loop getSelf() {
            return this;
        }
    }

    /** Two objects that refer to each other. */
    public static class Ping {
        public Pong pong;
    }

    public static class Pong {
        public Ping ping;
    }

    /** The engine and tasks of each running test, by test instance: an interface holds no fields of its own. */
    Map<ArgumentBindingContract, Running> RUNNING = new java.util.concurrent.ConcurrentHashMap<>();

    /** One test's engine and the tasks it runs. */
    record Running(EngineFixture fixture, BindingTasks tasks) {}

    @BeforeEach
    default void start() {
        BindingTasks tasks = new BindingTasks();
        RUNNING.put(this, new Running(EngineFixture.start(storage(), EngineFixture.SETTINGS, tasks), tasks));
    }

    @AfterEach
    default void stop() {
        RUNNING.remove(this).fixture().close();
    }

    private EngineFixture fixture() {
        return RUNNING.get(this).fixture();
    }

    private BindingTasks tasks() {
        return RUNNING.get(this).tasks();
    }

    private ThrowableAssertAlternative<InvalidTaskArgumentsException> assertRefused(TaskRequest request) {
        ThrowableAssertAlternative<InvalidTaskArgumentsException> refused = assertThatExceptionOfType(
                        InvalidTaskArgumentsException.class)
                .isThrownBy(() -> fixture().engine().submit(request));
        assertThat(fixture().engine().list(TaskFilter.all()).total())
                .as("tasks stored after a refused submit")
                .isZero();
        return refused;
    }

    private List<Object> runAndReceive(TaskRequest request) {
        UUID id = fixture().engine().submit(request);
        fixture().awaitStatus(id, TaskStatus.SUCCESS);
        return tasks().received.get(id);
    }

    @Test
    default void bindsPositionalArgumentsToTheDeclaredTypes() {
        assertThat(runAndReceive(TaskRequest.of("pair", "a", 7))).containsExactly("a", 7);
    }

    @Test
    default void bindsNamedArgumentsOnly() {
        TaskRequest request = TaskRequest.builder("pair")
                .kwarg("number", 3)
                .kwarg("text", "b")
                .build();

        assertThat(runAndReceive(request)).containsExactly("b", 3);
    }

    @Test
    default void bindsPositionalAndNamedArgumentsTogether() {
        TaskRequest request =
                TaskRequest.builder("pair").args("c").kwarg("number", 4).build();

        assertThat(runAndReceive(request)).containsExactly("c", 4);
    }

    @Test
    default void refusesAStringForAnInt() {
        assertRefused(TaskRequest.of("pair", "a", "abc"))
                .withMessageContaining("Task 'pair'")
                .withMessageContaining("argument 'number' must be int, got \"abc\"");
    }

    @Test
    default void refusesANumericStringForAnIntRatherThanCoerceIt() {
        assertRefused(TaskRequest.of("pair", "a", "12"))
                .withMessageContaining("Task 'pair'")
                .withMessageContaining("argument 'number' must be int");
    }

    @Test
    default void refusesANumberOrABooleanForAStringRatherThanTurnItIntoText() {
        assertRefused(TaskRequest.of("pair", 123, 1))
                .withMessageContaining("Task 'pair'")
                .withMessageContaining("argument 'text' must be String, got 123")
                .withMessageNotContaining("CoercionConfig");
        assertRefused(TaskRequest.of("pair", true, 1))
                .withMessageContaining("argument 'text' must be String, got true");
    }

    @Test
    default void refusesTooManyPositionalArguments() {
        assertRefused(TaskRequest.of("pair", "a", 1, 2))
                .withMessageContaining("Task 'pair'")
                .withMessageContaining("takes 2 arguments (text: String, number: int), got 3");
    }

    @Test
    default void refusesAMissingArgument() {
        assertRefused(TaskRequest.of("pair", "a"))
                .withMessageContaining("Task 'pair'")
                .withMessageContaining("missing argument 'number' (int)");
    }

    @Test
    default void refusesAnUnknownNamedArgumentListingTheParameters() {
        TaskRequest request =
                TaskRequest.builder("pair").args("a", 1).kwarg("colour", "red").build();

        assertRefused(request)
                .withMessageContaining("Task 'pair'")
                .withMessageContaining("no parameter 'colour'")
                .withMessageContaining("(text: String, number: int)");
    }

    @Test
    default void refusesTheSameParameterByPositionAndByName() {
        TaskRequest request =
                TaskRequest.builder("pair").args("a", 1).kwarg("text", "again").build();

        assertRefused(request)
                .withMessageContaining("Task 'pair'")
                .withMessageContaining("parameter 'text' both by position and by name");
    }

    @Test
    default void refusesNullForAPrimitive() {
        assertRefused(TaskRequest.of("pair", "a", null))
                .withMessageContaining("Task 'pair'")
                .withMessageContaining("argument 'number' must be int, got null");
        assertRefused(TaskRequest.builder("pair")
                        .kwarg("text", "a")
                        .kwarg("number", null)
                        .build())
                .withMessageContaining("Task 'pair'")
                .withMessageContaining("argument 'number' must be int, got null");
    }

    @Test
    default void bindsAnObjectParameterFromAMap() {
        List<Object> received = runAndReceive(TaskRequest.of("place_order", Map.of("sku", "A-1", "quantity", 2)));

        assertThat(received).containsExactly(new Order("A-1", 2));
    }

    @Test
    default void bindsAnObjectParameterFromTheObjectItself() {
        List<Object> received = runAndReceive(TaskRequest.builder("place_order")
                .kwarg("order", new Order("B-2", 5))
                .build());

        assertThat(received).containsExactly(new Order("B-2", 5));
    }

    @Test
    default void bindsAListOfObjectsToItsElementType() {
        List<Object> received = runAndReceive(
                TaskRequest.of("place_orders", List.of(Map.of("sku", "A", "quantity", 1), new Order("B", 2))));

        assertThat(received).containsExactly(new Order("A", 1), new Order("B", 2));
        assertThat(received).allSatisfy(order -> assertThat(order).isInstanceOf(Order.class));
    }

    @Test
    default void refusesAnUnknownFieldInAnObject() {
        assertRefused(TaskRequest.of("place_order", Map.of("sku", "A", "quantity", 1, "colour", "red")))
                .withMessageContaining("Task 'place_order'")
                .withMessageContaining("argument 'order' must be Order")
                .withMessageContaining("colour");
    }

    @Test
    default void typeHintsInAPayloadNeverMakeAnObjectOfAnotherType() {
        // the shapes of Jackson's polymorphic type information: a property, a wrapper array, a wrapper object
        Map<String, Object> asProperty = Map.of("@class", "java.io.File", "path", "/etc/passwd");
        List<Object> asArray = List.of("java.net.URL", "http://example.com/");
        Map<String, Object> asWrapper = Map.of("java.lang.ProcessBuilder", Map.of("command", List.of("id")));

        assertRefused(TaskRequest.of("place_order", Map.of("@class", "java.io.File", "sku", "A", "quantity", 1)))
                .withMessageContaining("argument 'order' must be Order")
                .withMessageContaining("@class");
        for (Object hinted : List.of(asProperty, asArray, asWrapper)) {
            Object bound = runAndReceive(TaskRequest.of("anything", hinted)).get(0);
            assertThat(bound.getClass().getName())
                    .as("what %s became", hinted)
                    .isIn(java.util.LinkedHashMap.class.getName(), java.util.ArrayList.class.getName());
            assertThat(bound).isEqualTo(hinted); // plain data, exactly as sent
        }
    }

    @Test
    default void refusesAWrongTypeInsideAListOfObjects() {
        assertRefused(TaskRequest.of("place_orders", List.of(Map.of("sku", "A", "quantity", "many"))))
                .withMessageContaining("Task 'place_orders'")
                .withMessageContaining("argument 'orders' must be List");
    }

    @Test
    default void injectsTheTaskContextInsteadOfBindingIt() {
        UUID id = fixture().engine().submit(TaskRequest.of("contextual", "hello"));
        fixture().awaitStatus(id, TaskStatus.SUCCESS);

        assertThat(tasks().received.get(id)).containsExactly(id, "contextual", "default", 1, "hello");
    }

    @Test
    default void theTaskContextIsNotAParameterAnArgumentCanFill() {
        assertRefused(TaskRequest.of("contextual", "hello", "extra"))
                .withMessageContaining("Task 'contextual'")
                .withMessageContaining("takes 1 argument (text: String), got 2");
        assertRefused(TaskRequest.builder("contextual")
                        .args("hello")
                        .kwarg("ctx", "x")
                        .build())
                .withMessageContaining("Task 'contextual'")
                .withMessageContaining("no parameter 'ctx'")
                .withMessageContaining("(text: String)");
    }

    @Test
    default void refusesAPositionalArgumentThatCannotBeWrittenAsJsonNamingTheParameter() {
        assertRefused(TaskRequest.of("anything", new Loop()))
                .withMessageContaining("Task 'anything'")
                .withMessageContaining("'payload'")
                .withMessageContaining("cannot be written as JSON");
    }

    @Test
    default void refusesANamedArgumentThatCannotBeWrittenAsJson() {
        Ping ping = new Ping();
        ping.pong = new Pong();
        ping.pong.ping = ping;

        assertRefused(TaskRequest.builder("anything").kwarg("payload", ping).build())
                .withMessageContaining("Task 'anything'")
                .withMessageContaining("'payload'")
                .withMessageContaining("cannot be written as JSON");
    }

    @Test
    default void refusesAnUnknownTaskListingTheRegisteredOnes() {
        assertThatExceptionOfType(UnknownTaskException.class)
                .isThrownBy(() -> fixture().engine().submit("no_such_task", 1))
                .withMessageContaining("No task named 'no_such_task' is registered")
                .withMessageContaining("registered tasks: ")
                .withMessageContaining("pair")
                .withMessageContaining("place_order")
                .withMessageContaining("record")
                .satisfies(ex -> assertThat(ex.taskName()).isEqualTo("no_such_task"));
        assertThat(fixture().engine().list(TaskFilter.all()).total()).isZero();
    }

    @Test
    default void refusesAnInvalidCategoryOverride() {
        assertRefused(TaskRequest.builder("pair")
                        .args("a", 1)
                        .category("no spaces allowed")
                        .build())
                .withMessageContaining("Task 'pair'")
                .withMessageContaining("category 'no spaces allowed' is invalid");
        assertRefused(TaskRequest.builder("pair")
                        .args("a", 1)
                        .category("x".repeat(65))
                        .build())
                .withMessageContaining("is invalid");
    }

    @Test
    default void refusesMaxRetriesOutOfRange() {
        assertRefused(TaskRequest.builder("pair").args("a", 1).maxRetries(-1).build())
                .withMessageContaining("Task 'pair'")
                .withMessageContaining("maxRetries must be between 0 and 100, got -1");
        assertRefused(TaskRequest.builder("pair").args("a", 1).maxRetries(101).build())
                .withMessageContaining("maxRetries must be between 0 and 100, got 101");
    }

    @Test
    default void storesTheArgumentsAsJson() {
        UUID id = fixture()
                .engine()
                .submit(TaskRequest.builder("pair").args("a").kwarg("number", 9).build());
        TaskInfo task = fixture().awaitStatus(id, TaskStatus.SUCCESS);

        assertThat(task.args()).isEqualTo("[\"a\"]");
        assertThat(task.kwargs()).isEqualTo("{\"number\":9}");
        assertThat(task.result()).isEqualTo("\"a9\"");
    }
}
