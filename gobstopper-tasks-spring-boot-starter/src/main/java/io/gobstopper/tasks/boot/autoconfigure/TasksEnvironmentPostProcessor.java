package io.gobstopper.tasks.boot.autoconfigure;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * With the task system switched on, exposes {@code /actuator/tasks} beside {@code /actuator/health} over HTTP, unless
 * the application chose its own exposure ({@code management.endpoints.web.exposure.include}), and ranks the health
 * status DEGRADED between OUT_OF_SERVICE and UP, unless the application set its own
 * {@code management.endpoint.health.status.order}. The application's settings always win.
 */
final class TasksEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String EXPOSURE = "management.endpoints.web.exposure.include";

    static final String STATUS_ORDER = "management.endpoint.health.status.order";

    /** Boot's order with DEGRADED between OUT_OF_SERVICE and UP: a degraded component makes the whole degraded. */
    static final String ORDER_WITH_DEGRADED = "DOWN,OUT_OF_SERVICE,DEGRADED,UP,UNKNOWN";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty("gobstopper.tasks.enabled", Boolean.class, false)) {
            return;
        }
        Map<String, Object> defaults = new HashMap<>();
        if (!environment.containsProperty(EXPOSURE)) {
            defaults.put(EXPOSURE, "health,tasks");
        }
        if (!environment.containsProperty(STATUS_ORDER)) {
            defaults.put(STATUS_ORDER, ORDER_WITH_DEGRADED);
        }
        if (!defaults.isEmpty()) {
            environment.getPropertySources().addLast(new MapPropertySource("gobstopperTasksDefaults", defaults));
        }
    }
}
