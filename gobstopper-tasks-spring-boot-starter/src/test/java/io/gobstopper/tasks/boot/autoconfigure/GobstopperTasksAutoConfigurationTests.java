package io.gobstopper.tasks.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.DisabledTaskQueue;
import io.gobstopper.tasks.InvalidTaskDefinitionException;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskQueue;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.boot.support.Threads;
import io.gobstopper.tasks.engine.TaskEngine;
import io.gobstopper.tasks.engine.TaskRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.annotation.Scope;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;

@ExtendWith(OutputCaptureExtension.class)
class GobstopperTasksAutoConfigurationTests {

    private static final AutoConfigurations ALL = AutoConfigurations.of(
            JacksonAutoConfiguration.class,
            GobstopperTasksAutoConfiguration.class,
            GobstopperTasksWebAutoConfiguration.class,
            GobstopperTasksEndpointAutoConfiguration.class,
            GobstopperTasksHealthAutoConfiguration.class,
            GobstopperTasksMetricsAutoConfiguration.class);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(ALL)
            .withPropertyValues("gobstopper.tasks.shutdown-timeout=5s");

    @TempDir
    Path dir;

    private String databasePath() {
        return "gobstopper.tasks.duckdb.path=" + dir.resolve("tasks.duckdb");
    }

    private static TaskInfo awaitEnd(TaskQueue queue, UUID id) {
        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        queue.get(id).map(task -> task.status().isCompleted()).orElse(false));
        return queue.get(id).orElseThrow();
    }

    // ---- switched off ----

    @Test
    void isSwitchedOffByDefaultAndCreatesNoEngineNoFileAndNoThreads() {
        Set<Thread> before = Threads.gobstopperThreads();
        runner.withUserConfiguration(PlainTasks.class)
                .withPropertyValues(databasePath())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(TaskQueue.class);
                    assertThat(context.getBean(TaskQueue.class)).isInstanceOf(DisabledTaskQueue.class);
                    assertThat(context.getBean(TaskQueue.class).isEnabled()).isFalse();
                    assertThat(context).doesNotHaveBean(TaskEngine.class);
                    assertThat(context).doesNotHaveBean(TaskRegistry.class);
                    assertThat(context).doesNotHaveBean(BackgroundTaskRegistrar.class);
                    assertThat(context.getBean(TaskQueue.class).registeredTasks())
                            .isEmpty();
                    assertThat(Files.exists(dir.resolve("tasks.duckdb"))).isFalse();
                    assertThat(dir).isEmptyDirectory();
                    assertThat(Threads.gobstopperThreadsStartedSince(before)).isEmpty();
                });
    }

    @Test
    void isSwitchedOffWhenEnabledIsFalseExplicitly() {
        runner.withUserConfiguration(PlainTasks.class)
                .withPropertyValues("gobstopper.tasks.enabled=false", databasePath())
                .run(context -> {
                    assertThat(context.getBean(TaskQueue.class)).isInstanceOf(DisabledTaskQueue.class);
                    assertThat(context).doesNotHaveBean(TaskEngine.class);
                    assertThat(dir).isEmptyDirectory();
                });
    }

    // ---- switched on ----

    @Test
    void createsTheEngineAndRunsATaskOfAPlainBean() {
        runner.withUserConfiguration(PlainTasks.class)
                .withPropertyValues("gobstopper.tasks.enabled=true", databasePath())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(TaskEngine.class);
                    assertThat(context).hasSingleBean(TaskQueue.class);
                    TaskQueue queue = context.getBean(TaskQueue.class);
                    assertThat(queue).isSameAs(context.getBean(TaskEngine.class));
                    assertThat(queue.isEnabled()).isTrue();
                    assertThat(queue.registeredTasks())
                            .extracting(task -> task.name())
                            .containsExactly("greet");
                    assertThat(queue.health().store()).isEqualTo("duckdb");

                    TaskInfo done = awaitEnd(queue, queue.submit("greet", "Ada"));
                    assertThat(done.status()).isEqualTo(TaskStatus.SUCCESS);
                    assertThat(done.result()).isEqualTo("\"hello Ada\"");
                    assertThat(Files.exists(dir.resolve("tasks.duckdb"))).isTrue();
                });
    }

    @Test
    void storeMemoryRunsTasksInMemoryWithNoFileAndRefusesArchiving() {
        runner.withUserConfiguration(PlainTasks.class)
                .withPropertyValues("gobstopper.tasks.enabled=true", "gobstopper.tasks.store=memory", databasePath())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    TaskQueue queue = context.getBean(TaskQueue.class);
                    assertThat(queue.health().store()).isEqualTo("memory");

                    TaskInfo done = awaitEnd(queue, queue.submit("greet", "Ada"));
                    assertThat(done.status()).isEqualTo(TaskStatus.SUCCESS);
                    assertThat(done.result()).isEqualTo("\"hello Ada\"");
                    assertThat(Files.exists(dir.resolve("tasks.duckdb")))
                            .as("no DuckDB file")
                            .isFalse();
                });
        runner.withUserConfiguration(PlainTasks.class)
                .withPropertyValues(
                        "gobstopper.tasks.enabled=true",
                        "gobstopper.tasks.store=memory",
                        "gobstopper.tasks.retention-mode=archive")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("gobstopper.tasks.retention-mode")
                        .hasMessageContaining("with store=memory set retention-mode=delete"));
    }

    @Test
    void registersTasksOfBeansBehindAsyncAndTransactionalProxiesAndCallsThemThroughTheProxy() {
        runner.withConfiguration(AutoConfigurations.of(
                        DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class))
                .withUserConfiguration(ProxiedTasksConfiguration.class)
                .withPropertyValues(
                        "gobstopper.tasks.enabled=true", databasePath(), "spring.datasource.generate-unique-name=true")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(org.springframework.aop.support.AopUtils.isAopProxy(context.getBean(AsyncTasks.class)))
                            .as("the @Async bean is proxied")
                            .isTrue();
                    assertThat(org.springframework.aop.support.AopUtils.isAopProxy(
                                    context.getBean(TransactionalTasks.class)))
                            .as("the @Transactional bean is proxied")
                            .isTrue();
                    TaskQueue queue = context.getBean(TaskQueue.class);
                    assertThat(queue.registeredTasks())
                            .extracting(task -> task.name())
                            .containsExactlyInAnyOrder("asyncThread", "inTransaction");
                    assertThat(queue.describe("inTransaction").orElseThrow().method())
                            .contains(TransactionalTasks.class.getName());

                    TaskInfo async = awaitEnd(queue, queue.submit("asyncThread"));
                    assertThat(async.status()).isEqualTo(TaskStatus.SUCCESS);
                    assertThat(async.result())
                            .as("ran on the @Async executor, not on a gobstopper worker")
                            .startsWith("\"test-async-");

                    TaskInfo transactional = awaitEnd(queue, queue.submit("inTransaction"));
                    assertThat(transactional.status()).isEqualTo(TaskStatus.SUCCESS);
                    assertThat(transactional.result())
                            .as("a transaction was active inside the task")
                            .isEqualTo("true");
                });
    }

    @Test
    void registersTheTasksOfALazyBeanBeforeTheEngineStarts() {
        runner.withUserConfiguration(LazyTasksConfiguration.class)
                .withPropertyValues("gobstopper.tasks.enabled=true", databasePath())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    TaskQueue queue = context.getBean(TaskQueue.class);
                    assertThat(queue.registeredTasks())
                            .extracting(task -> task.name())
                            .containsExactly("greet");
                    assertThat(awaitEnd(queue, queue.submit("greet", "Lazy")).result())
                            .isEqualTo("\"hello Lazy\"");
                });
    }

    @Test
    void registersTasksWhenTheWholeApplicationIsInitializedLazily() {
        runner.withUserConfiguration(PlainTasks.class)
                .withInitializer(context ->
                        context.addBeanFactoryPostProcessor(new LazyInitializationBeanFactoryPostProcessor()))
                .withPropertyValues("gobstopper.tasks.enabled=true", databasePath())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    TaskQueue queue = context.getBean(TaskQueue.class);
                    assertThat(queue.registeredTasks())
                            .extracting(task -> task.name())
                            .containsExactly("greet");
                    assertThat(awaitEnd(queue, queue.submit("greet", "All")).status())
                            .isEqualTo(TaskStatus.SUCCESS);
                });
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnTaskQueue() {
        runner.withUserConfiguration(OwnQueueConfiguration.class, PlainTasks.class)
                .withPropertyValues("gobstopper.tasks.enabled=true", databasePath())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(TaskQueue.class);
                    assertThat(context.getBean(TaskQueue.class)).isSameAs(context.getBean("ownQueue"));
                    assertThat(context).doesNotHaveBean(TaskEngine.class);
                    assertThat(context).doesNotHaveBean(TaskRegistry.class);
                    assertThat(context).doesNotHaveBean(BackgroundTaskRegistrar.class);
                    assertThat(dir).isEmptyDirectory();
                });
    }

    // ---- declarations that cannot work ----

    @Test
    void failsStartupWhenTwoMethodsDeclareTheSameTaskNameAndNamesBoth() {
        runner.withUserConfiguration(DuplicateA.class, DuplicateB.class)
                .withPropertyValues("gobstopper.tasks.enabled=true", databasePath())
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(rootCause(context.getStartupFailure()))
                            .isInstanceOf(InvalidTaskDefinitionException.class)
                            .hasMessageContaining("'send'")
                            .hasMessageContaining(DuplicateA.class.getName() + "#sendEmail(String)")
                            .hasMessageContaining(DuplicateB.class.getName() + "#sendSms(String)");
                });
    }

    @Test
    void failsStartupWhenABackgroundTaskIsOnAPrototypeBean() {
        runner.withUserConfiguration(PrototypeTasksConfiguration.class)
                .withPropertyValues("gobstopper.tasks.enabled=true", databasePath())
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(rootCause(context.getStartupFailure()))
                            .isInstanceOf(InvalidTaskDefinitionException.class)
                            .hasMessageContaining("prototypeTasks")
                            .hasMessageContaining(PlainTasks.class.getName())
                            .hasMessageContaining("not a singleton");
                });
    }

    @Test
    void failsStartupWhenAPrototypeBeanWithABackgroundTaskIsInjectedIntoASingleton() {
        runner.withUserConfiguration(PrototypeTasksConfiguration.class, PrototypeUser.class)
                .withPropertyValues("gobstopper.tasks.enabled=true", databasePath())
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(rootCause(context.getStartupFailure()))
                            .isInstanceOf(InvalidTaskDefinitionException.class)
                            .hasMessageContaining("prototypeTasks")
                            .hasMessageContaining("not a singleton");
                });
    }

    // ---- invalid properties ----

    @Test
    void failsStartupNamingTheWorkersPropertyWhenItIsTooLarge() {
        assertInvalidProperty("gobstopper.tasks.workers=300", "gobstopper.tasks.workers", "300");
    }

    @Test
    void failsStartupNamingTheRetryPropertyWhenTheMultiplierIsBelowOne() {
        assertInvalidProperty("gobstopper.tasks.retry.multiplier=0.5", "gobstopper.tasks.retry.multiplier", "0.5");
    }

    @Test
    void failsStartupNamingTheRetryPropertyWhenMaxDelayIsBelowInitialDelay() {
        assertInvalidProperty(
                "gobstopper.tasks.retry.max-delay=1s", "gobstopper.tasks.retry.max-delay", "initial-delay");
    }

    @Test
    void failsStartupNamingTheCategoryWorkersPropertyWhenItIsNegative() {
        assertInvalidProperty(
                "gobstopper.tasks.categories.x.workers=-1", "gobstopper.tasks.categories.x.workers", "-1");
    }

    @Test
    void failsStartupNamingTheCategoryRetryPropertyAtFault() {
        assertInvalidProperty(
                "gobstopper.tasks.categories.slow.retry.multiplier=0.5",
                "gobstopper.tasks.categories.slow.retry.multiplier",
                "0.5");
    }

    @Test
    void failsStartupNamingTheShutdownTimeoutWhenItIsNegative() {
        assertInvalidProperty(
                "gobstopper.tasks.shutdown-timeout=-1s", "gobstopper.tasks.shutdown-timeout", "zero or more");
    }

    @Test
    void failsStartupNamingTheQueueCapacityWhenItIsNegative() {
        assertInvalidProperty(
                "gobstopper.tasks.queue-capacity=-1", "gobstopper.tasks.queue-capacity", "0 (no limit) or more");
    }

    @Test
    void failsStartupNamingTheCategoryQueueCapacityWhenItIsNegative() {
        assertInvalidProperty(
                "gobstopper.tasks.categories.emails.queue-capacity=-5",
                "gobstopper.tasks.categories.emails.queue-capacity",
                "0 (no limit) or more");
    }

    @Test
    void failsStartupNamingTheCategoryRateWhenItIsNotARate() {
        assertInvalidProperty(
                "gobstopper.tasks.categories.emails.rate=ten/s", "gobstopper.tasks.categories.emails.rate", "100/1s");
    }

    @Test
    void failsStartupNamingTheCategoryRateWhenItAllowsNothing() {
        assertInvalidProperty(
                "gobstopper.tasks.categories.emails.rate=0/1s", "gobstopper.tasks.categories.emails.rate", "1 or more");
    }

    @Test
    void failsStartupNamingThePriorityAgingWhenItIsNegative() {
        assertInvalidProperty("gobstopper.tasks.priority-aging=-1m", "gobstopper.tasks.priority-aging", "zero or more");
    }

    @Test
    void failsStartupNamingTheScheduleCronWhenItIsNotACronExpression() {
        assertInvalidProperty(
                "gobstopper.tasks.schedules.report.cron=0 0 2 * *",
                "gobstopper.tasks.schedules.report.cron",
                "6 fields");
    }

    @Test
    void failsStartupNamingTheScheduleZoneWhenItIsNotATimeZone() {
        assertInvalidProperty(
                "gobstopper.tasks.schedules.report.zone=Mars/Olympus",
                "gobstopper.tasks.schedules.report.zone",
                "Europe/Paris");
    }

    @Test
    void failsStartupNamingTheBasePathWhenItDoesNotStartWithASlash() {
        new WebApplicationContextRunner()
                .withConfiguration(ALL)
                .withPropertyValues(
                        "gobstopper.tasks.enabled=true", databasePath(), "gobstopper.tasks.web.base-path=api")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(rootCause(context.getStartupFailure()))
                            .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                            .hasMessageContaining("gobstopper.tasks.web.base-path")
                            .hasMessageContaining("'api'")
                            .hasMessageContaining("must start with '/'");
                    assertThat(((InvalidConfigurationPropertyValueException) rootCause(context.getStartupFailure()))
                                    .getName())
                            .isEqualTo("gobstopper.tasks.web.base-path");
                });
    }

    // ---- renamed properties: duckdb.path and duckdb.archive-path, once database-path and archive-path ----

    @Test
    void duckdbPathAndArchivePathDecideWhereTheTasksAndTheArchiveGo(CapturedOutput output) {
        assertDuckDbFilesFollow("gobstopper.tasks.duckdb.path", "gobstopper.tasks.duckdb.archive-path");
        assertThat(output.getAll()).doesNotContain("deprecated");
    }

    @Test
    void theOldDatabasePathAndArchivePathStillDecideWhereTheTasksAndTheArchiveGo(CapturedOutput output) {
        assertDuckDbFilesFollow("gobstopper.tasks.database-path", "gobstopper.tasks.archive-path");
        assertThat(output.getAll())
                .contains("gobstopper.tasks.database-path is deprecated and will be removed: rename it to "
                        + "gobstopper.tasks.duckdb.path")
                .contains("gobstopper.tasks.archive-path is deprecated and will be removed: rename it to "
                        + "gobstopper.tasks.duckdb.archive-path");
    }

    @Test
    void theQueueWindowReachesTheDuckDbStore() {
        runner.withUserConfiguration(PlainTasks.class)
                .withPropertyValues(
                        "gobstopper.tasks.enabled=true", databasePath(), "gobstopper.tasks.duckdb.queue-window=25")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(((io.gobstopper.tasks.store.TaskBacklog)
                                            context.getBean(TaskEngine.class).store())
                                    .window())
                            .isEqualTo(25);
                });
    }

    @Test
    void aNegativeQueueWindowFailsStartupNamingIt() {
        assertInvalidProperty(
                "gobstopper.tasks.duckdb.queue-window=-1", "gobstopper.tasks.duckdb.queue-window", "0 (every");
    }

    @Test
    void failsStartupNamingBothWhenDatabasePathAndDuckdbPathNameDifferentFiles() {
        assertInvalidProperty(
                "gobstopper.tasks.database-path=" + dir.resolve("other.duckdb"),
                "gobstopper.tasks.database-path",
                "keep only gobstopper.tasks.duckdb.path");
    }

    private void assertDuckDbFilesFollow(String pathProperty, String archivePathProperty) {
        Path database = dir.resolve("chosen.duckdb");
        Path archive = dir.resolve("chosen-archive");
        runner.withUserConfiguration(PlainTasks.class)
                .withPropertyValues(
                        "gobstopper.tasks.enabled=true",
                        pathProperty + "=" + database,
                        archivePathProperty + "=" + archive)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    TaskQueue queue = context.getBean(TaskQueue.class);
                    assertThat(queue.health().location()).contains("chosen.duckdb");
                    assertThat(awaitEnd(queue, queue.submit("greet", "Ada")).status())
                            .isEqualTo(TaskStatus.SUCCESS);
                    assertThat(database).exists();
                    assertThat(queue.archive(Duration.ZERO).archived()).isEqualTo(1);
                    assertThat(archive).isNotEmptyDirectory();
                });
    }

    private void assertInvalidProperty(String setting, String property, String explanation) {
        runner.withPropertyValues("gobstopper.tasks.enabled=true", databasePath(), setting)
                .run(context -> {
                    assertThat(context).hasFailed();
                    Throwable root = rootCause(context.getStartupFailure());
                    assertThat(root).isInstanceOf(InvalidConfigurationPropertyValueException.class);
                    assertThat(((InvalidConfigurationPropertyValueException) root).getName())
                            .isEqualTo(property);
                    assertThat(root.getMessage()).contains(property).contains(explanation);
                    assertThat(dir)
                            .as("no database is opened with invalid settings")
                            .isEmptyDirectory();
                });
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    // ---- test beans ----

    @Configuration(proxyBeanMethods = false)
    static class PlainTasks {

        @BackgroundTask
        public String greet(String name) {
            return "hello " + name;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnQueueConfiguration {

        @Bean
        TaskQueue ownQueue() {
            return new DisabledTaskQueue("This application brings its own queue.");
        }
    }

    public static class AsyncTasks {

        @Async
        @BackgroundTask
        public CompletableFuture<String> asyncThread() {
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }
    }

    public static class TransactionalTasks {

        @Transactional
        @BackgroundTask
        public boolean inTransaction() {
            return TransactionSynchronizationManager.isActualTransactionActive();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    @EnableTransactionManagement
    static class ProxiedTasksConfiguration {

        @Bean
        ThreadPoolTaskExecutor taskExecutor() {
            ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
            executor.setThreadNamePrefix("test-async-");
            executor.setCorePoolSize(1);
            return executor;
        }

        @Bean
        AsyncTasks asyncTasks() {
            return new AsyncTasks();
        }

        @Bean
        TransactionalTasks transactionalTasks() {
            return new TransactionalTasks();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class LazyTasksConfiguration {

        @Bean
        @Lazy
        PlainTasks lazyTasks() {
            return new PlainTasks();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class DuplicateA {

        @BackgroundTask(name = "send")
        public void sendEmail(String to) {}
    }

    @Configuration(proxyBeanMethods = false)
    static class DuplicateB {

        @BackgroundTask(name = "send")
        public void sendSms(String to) {}
    }

    @Configuration(proxyBeanMethods = false)
    static class PrototypeTasksConfiguration {

        @Bean
        @Scope("prototype")
        PlainTasks prototypeTasks() {
            return new PlainTasks();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PrototypeUser {

        PrototypeUser(PlainTasks tasks) {}
    }
}
