package io.gobstopper.tasks.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.InvalidTaskDefinitionException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** A task's aliases resolve to it, and no name or alias may belong to two tasks. */
class TaskRegistryAliasTests {

    private final TaskRegistry registry = new TaskRegistry(JsonMapper.builder().build());

    static class Renamed {
        @BackgroundTask(
                name = "report",
                aliases = {"legacy_report", "older_report"})
        public void report() {}
    }

    static class Legacy {
        @BackgroundTask(name = "legacy_report")
        public void legacy() {}
    }

    static class AlsoClaimsTheAlias {
        @BackgroundTask(name = "summary", aliases = "older_report")
        public void summary() {}
    }

    static class AliasOfItself {
        @BackgroundTask(name = "self", aliases = "self")
        public void self() {}
    }

    static class InvalidAlias {
        @BackgroundTask(name = "fine", aliases = "not valid")
        public void fine() {}
    }

    @Test
    void aliasesFindTheRenamedTaskAndCountAsRunnableNamesButNotAsRegisteredNames() {
        registry.registerAnnotated(new Renamed());

        assertThat(registry.find("legacy_report")).map(TaskDefinition::name).contains("report");
        assertThat(registry.find("older_report")).map(TaskDefinition::name).contains("report");
        assertThat(registry.names()).containsExactly("report");
        assertThat(registry.runnableNames()).containsExactly("legacy_report", "older_report", "report");
        assertThat(registry.find("report").orElseThrow().aliases()).containsExactly("legacy_report", "older_report");
        assertThat(registry.find("report").orElseThrow().descriptor().aliases())
                .containsExactly("legacy_report", "older_report");
    }

    @Test
    void anAliasThatIsAnotherTasksNameFailsNamingBothMethods() {
        registry.registerAnnotated(new Legacy());

        assertThatExceptionOfType(InvalidTaskDefinitionException.class)
                .isThrownBy(() -> registry.registerAnnotated(new Renamed()))
                .withMessageContaining("Task name 'legacy_report' is taken twice")
                .withMessageContaining("as the name of " + Legacy.class.getName() + "#legacy()")
                .withMessageContaining(
                        "as an alias of task 'report' declared by " + Renamed.class.getName() + "#report()");
        assertThat(registry.find("report"))
                .as("nothing of the refused task is registered")
                .isEmpty();
    }

    @Test
    void aNameThatIsAnotherTasksAliasFailsToo() {
        registry.registerAnnotated(new Renamed());

        assertThatExceptionOfType(InvalidTaskDefinitionException.class)
                .isThrownBy(() -> registry.registerAnnotated(new Legacy()))
                .withMessageContaining("Task name 'legacy_report' is taken twice")
                .withMessageContaining("as an alias of task 'report'")
                .withMessageContaining(Legacy.class.getName() + "#legacy()");
    }

    @Test
    void twoTasksCannotShareAnAlias() {
        registry.registerAnnotated(new Renamed());

        assertThatExceptionOfType(InvalidTaskDefinitionException.class)
                .isThrownBy(() -> registry.registerAnnotated(new AlsoClaimsTheAlias()))
                .withMessageContaining("Task name 'older_report' is taken twice")
                .withMessageContaining(Renamed.class.getName() + "#report()")
                .withMessageContaining(AlsoClaimsTheAlias.class.getName() + "#summary()");
    }

    @Test
    void anAliasMustBeAValidNameOtherThanTheTasksOwn() {
        assertThatExceptionOfType(InvalidTaskDefinitionException.class)
                .isThrownBy(() -> registry.registerAnnotated(new AliasOfItself()))
                .withMessageContaining(AliasOfItself.class.getName() + "#self")
                .withMessageContaining("alias 'self' is given twice (or is the task's own name)");
        assertThatExceptionOfType(InvalidTaskDefinitionException.class)
                .isThrownBy(() -> registry.registerAnnotated(new InvalidAlias()))
                .withMessageContaining(InvalidAlias.class.getName() + "#fine")
                .withMessageContaining("alias name 'not valid' is invalid");
    }
}
