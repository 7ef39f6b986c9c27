package io.gobstopper.tasks.boot.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

class SpringSecurityOperatorCheckTests {

    private final SpringSecurityOperatorCheck check = new SpringSecurityOperatorCheck("TASKS_ADMIN");

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    private static void signIn(Authentication caller) {
        SecurityContextHolder.getContext().setAuthentication(caller);
    }

    private static HttpStatus refusal(Runnable call) {
        try {
            call.run();
            return null;
        } catch (ApiException ex) {
            return ex.status();
        }
    }

    @Test
    void anAnonymousCallerIsAskedToSignIn() {
        assertThat(refusal(() -> check.check("cancel a task"))).isEqualTo(HttpStatus.UNAUTHORIZED);
        signIn(new AnonymousAuthenticationToken(
                "key", "anonymousUser", AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")));
        assertThat(refusal(() -> check.check("cancel a task"))).isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void aUserWithoutTheRoleIsRefusedWithAMessageThatNamesTheRoleAndProperty() {
        signIn(UsernamePasswordAuthenticationToken.authenticated(
                "viewer", "x", AuthorityUtils.createAuthorityList("ROLE_VIEWER")));
        assertThatThrownBy(() -> check.check("retry a task"))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("viewer")
                .hasMessageContaining("retry a task")
                .hasMessageContaining("TASKS_ADMIN")
                .hasMessageContaining("gobstopper.tasks.web.write-role");
        assertThat(refusal(() -> check.check("retry a task"))).isEqualTo(HttpStatus.FORBIDDEN);
    }

    @Test
    void theRoleCountsWithOrWithoutItsPrefix() {
        for (List<String> authorities : List.of(List.of("ROLE_TASKS_ADMIN"), List.of("TASKS_ADMIN"))) {
            signIn(UsernamePasswordAuthenticationToken.authenticated(
                    "admin", "x", AuthorityUtils.createAuthorityList(authorities)));
            assertThatCode(() -> check.check("delete a task"))
                    .as(authorities.toString())
                    .doesNotThrowAnyException();
        }
        signIn(UsernamePasswordAuthenticationToken.authenticated(
                "admin", "x", AuthorityUtils.createAuthorityList("ROLE_TASKS_ADMIN")));
        assertThatCode(() -> new SpringSecurityOperatorCheck("ROLE_TASKS_ADMIN").check("delete a task"))
                .doesNotThrowAnyException();
    }
}
