package io.gobstopper.tasks.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.boot.web.DashboardAccessFilter;
import io.gobstopper.tasks.boot.web.OperatorCheck;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * The starter's test class path has Spring Security's core (the starter's optional dependency) but not its web
 * part, so these cases are the application without Spring Security; the sample application covers the other.
 */
class GobstopperTasksAccessAutoConfigurationTests {

    private static final AutoConfigurations TASKS = AutoConfigurations.of(
            JacksonAutoConfiguration.class,
            GobstopperTasksAutoConfiguration.class,
            GobstopperTasksWebAutoConfiguration.class,
            GobstopperTasksAccessAutoConfiguration.class);

    /** The task system stays switched off: the access rules do not depend on it. */
    private final WebApplicationContextRunner web = new WebApplicationContextRunner().withConfiguration(TASKS);

    @Test
    void withoutSpringSecurityTheDashboardPathIsLocalOnlyAndNoRoleIsChecked() {
        web.run(context -> {
            assertThat(context).hasNotFailed();
            FilterRegistrationBean<?> filter = context.getBean(FilterRegistrationBean.class);
            assertThat(filter.getFilter()).isInstanceOf(DashboardAccessFilter.class);
            assertThat(filter.getUrlPatterns()).containsExactly("/gobstopper", "/gobstopper/*");
            assertThat(context).doesNotHaveBean(OperatorCheck.class);
        });
    }

    @Test
    void theLocalOnlyRuleFollowsTheDashboardPath() {
        web.withPropertyValues("gobstopper.tasks.dashboard.path=/admin/jobs").run(context -> assertThat(
                context.getBean(FilterRegistrationBean.class).getUrlPatterns())
                .containsExactly("/admin/jobs", "/admin/jobs/*"));
    }

    @Test
    void allowRemoteDropsTheLocalOnlyRule() {
        web.withPropertyValues("gobstopper.tasks.dashboard.allow-remote=true")
                .run(context -> assertThat(context).doesNotHaveBean(FilterRegistrationBean.class));
    }

    @Test
    void aSwitchedOffDashboardNeedsNoRule() {
        web.withPropertyValues("gobstopper.tasks.dashboard.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(FilterRegistrationBean.class));
    }

    @Test
    void aBadDashboardPathFailsStartupNamingTheProperty() {
        web.withPropertyValues("gobstopper.tasks.dashboard.path=gobstopper/").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("gobstopper.tasks.dashboard.path"));
    }

    @Test
    void backsOffInANonWebApplicationAndWithoutSpringMvc() {
        new ApplicationContextRunner().withConfiguration(TASKS)
                .run(context -> assertThat(context).doesNotHaveBean(FilterRegistrationBean.class));
        web.withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
                .run(context -> assertThat(context).doesNotHaveBean(FilterRegistrationBean.class));
    }
}
