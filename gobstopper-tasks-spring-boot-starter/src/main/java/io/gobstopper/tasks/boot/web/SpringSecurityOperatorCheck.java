package io.gobstopper.tasks.boot.web;

import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * With Spring Security: the management operations need the role {@code gobstopper.tasks.web.write-role} (an
 * authority of that name, or of that name with the {@code ROLE_} prefix). Anonymous callers get 401, signed-in
 * callers without the role 403. Everything else (who may read, submit or see the dashboard) is left to the
 * application's own security filter chain.
 */
public final class SpringSecurityOperatorCheck implements OperatorCheck {

    private final String role;

    public SpringSecurityOperatorCheck(String role) {
        this.role = role.startsWith("ROLE_") ? role.substring("ROLE_".length()) : role;
    }

    @Override
    public void check(String operation) {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        if (caller == null || !caller.isAuthenticated() || caller instanceof AnonymousAuthenticationToken) {
            throw new ApiException(
                    HttpStatus.UNAUTHORIZED,
                    "Sign in to " + operation + ": it needs the role " + role
                            + " (set by gobstopper.tasks.web.write-role)");
        }
        boolean allowed = caller.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .anyMatch(authority -> role.equals(authority) || ("ROLE_" + role).equals(authority));
        if (!allowed) {
            throw new ApiException(
                    HttpStatus.FORBIDDEN,
                    "User '" + caller.getName() + "' may not " + operation + ": it needs the role " + role
                            + " (set by gobstopper.tasks.web.write-role)");
        }
    }
}
