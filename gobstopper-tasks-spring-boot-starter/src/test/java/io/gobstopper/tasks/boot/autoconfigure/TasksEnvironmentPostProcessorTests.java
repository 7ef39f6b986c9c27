package io.gobstopper.tasks.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class TasksEnvironmentPostProcessorTests {

    private static final String EXPOSURE = "management.endpoints.web.exposure.include";

    private final TasksEnvironmentPostProcessor postProcessor = new TasksEnvironmentPostProcessor();

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return environment;
    }

    @Test
    void exposesHealthAndTasksWhenEnabledAndTheApplicationChoseNoExposure() {
        StandardEnvironment environment = environment(Map.of("gobstopper.tasks.enabled", "true"));

        postProcessor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty(EXPOSURE)).isEqualTo("health,tasks");
    }

    @Test
    void leavesTheApplicationsOwnExposureAlone() {
        StandardEnvironment environment = environment(Map.of("gobstopper.tasks.enabled", "true", EXPOSURE, "info"));

        postProcessor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty(EXPOSURE)).isEqualTo("info");
    }

    @Test
    void addsTheDefaultAtTheLowestPrecedenceSoAnyOtherSourceWins() {
        StandardEnvironment environment = environment(Map.of("gobstopper.tasks.enabled", "true"));

        postProcessor.postProcessEnvironment(environment, new SpringApplication());
        environment.getPropertySources().addFirst(new MapPropertySource("override", Map.of(EXPOSURE, "metrics")));

        assertThat(environment.getProperty(EXPOSURE)).isEqualTo("metrics");
    }

    @Test
    void addsNothingWhenTheTaskSystemIsSwitchedOff() {
        StandardEnvironment explicitlyOff = environment(Map.of("gobstopper.tasks.enabled", "false"));
        StandardEnvironment byDefault = environment(Map.of());
        int sourcesBefore = byDefault.getPropertySources().size();

        postProcessor.postProcessEnvironment(explicitlyOff, new SpringApplication());
        postProcessor.postProcessEnvironment(byDefault, new SpringApplication());

        assertThat(explicitlyOff.containsProperty(EXPOSURE)).isFalse();
        assertThat(byDefault.containsProperty(EXPOSURE)).isFalse();
        assertThat(byDefault.getPropertySources().size()).isEqualTo(sourcesBefore);
    }

    @Test
    void isRegisteredInSpringFactories() {
        assertThat(org.springframework.core.io.support.SpringFactoriesLoader.forDefaultResourceLocation()
                        .load(org.springframework.boot.EnvironmentPostProcessor.class, null, (type, name, failure) -> {
                            // Boot's own post-processors need constructor arguments; only ours matters here
                        }))
                .hasAtLeastOneElementOfType(TasksEnvironmentPostProcessor.class);
    }
}
