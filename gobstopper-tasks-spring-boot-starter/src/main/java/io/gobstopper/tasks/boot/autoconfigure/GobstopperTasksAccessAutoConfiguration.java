package io.gobstopper.tasks.boot.autoconfigure;

import io.gobstopper.tasks.boot.web.DashboardAccessFilter;
import io.gobstopper.tasks.boot.web.ManagementOperationsGuard;
import io.gobstopper.tasks.boot.web.OperatorCheck;
import io.gobstopper.tasks.boot.web.SpringSecurityOperatorCheck;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Who may see the dashboard ({@code gobstopper.tasks.dashboard.*}) and act on tasks ({@code gobstopper.tasks.web.*}).
 *
 * <ul>
 *   <li>Without Spring Security (no {@code spring-security-web}): the dashboard path answers only the local machine
 *       unless {@code dashboard.allow-remote=true}.
 *   <li>With Spring Security: the application's {@code SecurityFilterChain} decides who reaches what (the starter
 *       adds no filter chain of its own); the REST API's management operations also need {@code web.write-role}.
 *   <li>Either way {@code web.read-only=true} refuses the management operations.
 * </ul>
 */
@AutoConfiguration(after = GobstopperTasksWebAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
public final class GobstopperTasksAccessAutoConfiguration {

    static final String SPRING_SECURITY = "org.springframework.security.web.SecurityFilterChain";

    @Bean
    @ConditionalOnBooleanProperty(name = "gobstopper.tasks.web.enabled", matchIfMissing = true)
    WebMvcConfigurer gobstopperTasksManagementGuard(
            GobstopperTasksProperties properties, ObjectProvider<OperatorCheck> operators) {
        String basePath = GobstopperTasksWebAutoConfiguration.basePath(properties);
        ManagementOperationsGuard guard =
                new ManagementOperationsGuard(properties.webReadOnly(), operators.getIfAvailable());
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(guard).addPathPatterns(basePath, basePath + "/**");
            }
        };
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = SPRING_SECURITY)
    static class SpringSecurityConfiguration {

        @Bean
        @ConditionalOnMissingBean
        OperatorCheck gobstopperTasksOperatorCheck(GobstopperTasksProperties properties) {
            String role = properties.webWriteRole();
            if (role == null || role.isBlank()) {
                throw new InvalidConfigurationPropertyValueException(
                        "gobstopper.tasks.web.write-role",
                        role,
                        "name the role that may act on tasks, e.g. TASKS_ADMIN");
            }
            return new SpringSecurityOperatorCheck(role.trim());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass(SPRING_SECURITY)
    @ConditionalOnBooleanProperty(name = "gobstopper.tasks.dashboard.enabled", matchIfMissing = true)
    @ConditionalOnBooleanProperty(
            name = "gobstopper.tasks.dashboard.allow-remote",
            havingValue = false,
            matchIfMissing = true)
    static class LocalOnlyDashboardConfiguration {

        @Bean
        FilterRegistrationBean<DashboardAccessFilter> gobstopperDashboardAccessFilter(
                GobstopperTasksProperties properties) {
            String path = GobstopperTasksWebAutoConfiguration.path(
                    "gobstopper.tasks.dashboard.path", properties.getDashboard().getPath(), "/gobstopper");
            FilterRegistrationBean<DashboardAccessFilter> registration =
                    new FilterRegistrationBean<>(new DashboardAccessFilter());
            registration.addUrlPatterns(path, path + "/*");
            registration.setName("gobstopperDashboardAccessFilter");
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
            return registration;
        }
    }
}
