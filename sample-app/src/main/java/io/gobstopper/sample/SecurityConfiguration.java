package io.gobstopper.sample;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A secured setup: every call needs a signed-in user (HTTP Basic), except the health probe. {@code viewer} may read,
 * submit and watch the dashboard; only {@code admin}, who has the role named by
 * {@code gobstopper.tasks.web.write-role} (TASKS_ADMIN), may cancel, retry, delete, clean up or resize. The starter
 * adds that role check; everything else here is the application's own choice.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests.requestMatchers("/actuator/health", "/actuator/health/**")
                        .permitAll()
                        .anyRequest()
                        .authenticated())
                .httpBasic(Customizer.withDefaults())
                // the task API is called with HTTP Basic credentials (curl, scripts), not a session cookie, so there
                // is no cross-site request to forge; an application that signs its users in with a session keeps
                // CSRF on and has its pages send the token
                .csrf(csrf -> csrf.ignoringRequestMatchers("/api/tasks/**"));
        return http.build();
    }

    @Bean
    InMemoryUserDetailsManager users() {
        // demo users with plain-text passwords; a real application keeps hashed ones elsewhere
        return new InMemoryUserDetailsManager(
                User.withUsername("admin")
                        .password("{noop}admin")
                        .roles("TASKS_ADMIN")
                        .build(),
                User.withUsername("viewer")
                        .password("{noop}viewer")
                        .roles("VIEWER")
                        .build());
    }
}
