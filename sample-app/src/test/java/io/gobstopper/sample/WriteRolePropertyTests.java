package io.gobstopper.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gobstopper.tasks.boot.autoconfigure.GobstopperTasksAccessAutoConfiguration;
import io.gobstopper.tasks.boot.autoconfigure.GobstopperTasksAutoConfiguration;
import io.gobstopper.tasks.boot.autoconfigure.GobstopperTasksWebAutoConfiguration;
import io.gobstopper.tasks.boot.web.OperatorCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * {@code gobstopper.tasks.web.write-role}, once {@code dashboard.role}: the role the REST API's writes need. It only
 * matters with Spring Security, which this application has and the starter's own tests do not.
 */
@ExtendWith(OutputCaptureExtension.class)
class WriteRolePropertyTests {

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    JacksonAutoConfiguration.class,
                    GobstopperTasksAutoConfiguration.class,
                    GobstopperTasksWebAutoConfiguration.class,
                    GobstopperTasksAccessAutoConfiguration.class));

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void webWriteRoleNamesTheRoleTheWritesNeed(CapturedOutput output) {
        assertWritesNeedTheRoleOps("gobstopper.tasks.web.write-role=OPS");
        assertThat(output.getAll()).doesNotContain("deprecated");
    }

    @Test
    void theOldDashboardRoleStillNamesTheRoleTheWritesNeed(CapturedOutput output) {
        assertWritesNeedTheRoleOps("gobstopper.tasks.dashboard.role=OPS");
        assertThat(output.getAll())
                .contains("gobstopper.tasks.dashboard.role is deprecated and will be removed: "
                        + "rename it to gobstopper.tasks.web.write-role");
    }

    @Test
    void dashboardRoleAndWebWriteRoleSetToDifferentRolesFailStartupNamingBoth() {
        web.withPropertyValues("gobstopper.tasks.dashboard.role=OPS", "gobstopper.tasks.web.write-role=ADMINS")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                        .hasMessageContaining("gobstopper.tasks.dashboard.role")
                        .hasMessageContaining("keep only gobstopper.tasks.web.write-role"));
    }

    private void assertWritesNeedTheRoleOps(String setting) {
        web.withPropertyValues(setting).run(context -> {
            assertThat(context).hasNotFailed();
            OperatorCheck check = context.getBean(OperatorCheck.class);

            signIn("ROLE_OPS");
            assertThatCode(() -> check.check("cancel a task")).doesNotThrowAnyException();

            signIn("ROLE_TASKS_ADMIN");
            assertThatThrownBy(() -> check.check("cancel a task"))
                    .hasMessageContaining("needs the role OPS")
                    .hasMessageContaining("gobstopper.tasks.web.write-role");
        });
    }

    private static void signIn(String authority) {
        SecurityContextHolder.getContext()
                .setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                        "someone", "x", AuthorityUtils.createAuthorityList(authority)));
    }
}
