package io.gobstopper.tasks.boot.autoconfigure;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * With the task system switched on, exposes {@code /actuator/tasks} beside {@code /actuator/health} over HTTP, unless
 * the application chose its own exposure ({@code management.endpoints.web.exposure.include}), which always wins.
 */
final class TasksEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String EXPOSURE = "management.endpoints.web.exposure.include";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.getProperty("gobstopper.tasks.enabled", Boolean.class, false)
                && !environment.containsProperty(EXPOSURE)) {
            environment.getPropertySources()
                    .addLast(new MapPropertySource("gobstopperTasksDefaults", Map.of(EXPOSURE, "health,tasks")));
        }
    }
}
