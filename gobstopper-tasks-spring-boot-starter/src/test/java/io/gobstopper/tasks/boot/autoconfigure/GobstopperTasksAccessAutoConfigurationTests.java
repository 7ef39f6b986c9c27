package io.gobstopper.tasks.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.boot.web.DashboardAccessFilter;
import io.gobstopper.tasks.boot.web.OperatorCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * The starter's test class path has Spring Security's core (the starter's optional dependency) but not its web
 * part, so these cases are the application without Spring Security; the sample application covers the other.
 */
@ExtendWith(OutputCaptureExtension.class)
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
        web.withPropertyValues("gobstopper.tasks.dashboard.path=/admin/jobs")
                .run(context -> assertThat(
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
        web.withPropertyValues("gobstopper.tasks.dashboard.path=gobstopper/")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("gobstopper.tasks.dashboard.path"));
    }

    // ---- web.read-only, once dashboard.read-only ----

    /** The REST API and the dashboard behind Spring MVC, for requests through MockMvc. */
    private final WebApplicationContextRunner mvc = web.withConfiguration(AutoConfigurations.of(
            HttpMessageConvertersAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
            WebMvcAutoConfiguration.class, GobstopperTasksDashboardAutoConfiguration.class));

    @Test
    void webReadOnlyRefusesTheManagementOperationsAndHidesTheDashboardsActions(CapturedOutput output) {
        assertReadOnly(true, "gobstopper.tasks.web.read-only=true");
        assertThat(output.getAll()).doesNotContain("deprecated");
    }

    @Test
    void theOldDashboardReadOnlyStillRefusesTheManagementOperationsAndHidesTheDashboardsActions(CapturedOutput output) {
        assertReadOnly(true, "gobstopper.tasks.dashboard.read-only=true");
        assertThat(output.getAll())
                .contains("gobstopper.tasks.dashboard.read-only is deprecated and will be removed: "
                        + "rename it to gobstopper.tasks.web.read-only");
    }

    @Test
    void withoutReadOnlyTheManagementOperationsPassTheGuard() {
        assertReadOnly(false);
    }

    @Test
    void dashboardReadOnlyAndWebReadOnlySetToDifferentValuesFailStartupNamingBoth() {
        web.withPropertyValues("gobstopper.tasks.dashboard.read-only=true", "gobstopper.tasks.web.read-only=false")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                        .hasMessageContaining("gobstopper.tasks.dashboard.read-only")
                        .hasMessageContaining("keep only gobstopper.tasks.web.read-only"));
    }

    /** A management operation, a submit and the dashboard's settings; past the guard, the switched-off system 503s. */
    private void assertReadOnly(boolean readOnly, String... settings) {
        mvc.withPropertyValues(settings).run(context -> {
            assertThat(context).hasNotFailed();
            MockMvcTester client = MockMvcTester.from(context);
            MvcTestResult bulkRetry = client.post()
                    .uri("/api/tasks/bulk-retry")
                    .contentType(MediaType.APPLICATION_JSON)
                    .content("{}")
                    .exchange();
            if (readOnly) {
                assertThat(bulkRetry)
                        .hasStatus(HttpStatus.FORBIDDEN)
                        .bodyJson()
                        .extractingPath("$.detail")
                        .asString()
                        .contains("read-only")
                        .contains("gobstopper.tasks.web.read-only=false");
            } else {
                assertThat(bulkRetry).hasStatus(HttpStatus.SERVICE_UNAVAILABLE);
            }
            assertThat(client.post()
                            .uri("/api/tasks")
                            .contentType(MediaType.APPLICATION_JSON)
                            .content("{\"name\": \"anything\"}"))
                    .as("submits stay allowed: the switched-off task system answers")
                    .hasStatus(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(client.get().uri("/gobstopper/config.json"))
                    .bodyJson()
                    .extractingPath("$.readOnly")
                    .isEqualTo(readOnly);
        });
    }

    @Test
    void backsOffInANonWebApplicationAndWithoutSpringMvc() {
        new ApplicationContextRunner()
                .withConfiguration(TASKS)
                .run(context -> assertThat(context).doesNotHaveBean(FilterRegistrationBean.class));
        web.withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
                .run(context -> assertThat(context).doesNotHaveBean(FilterRegistrationBean.class));
    }
}
