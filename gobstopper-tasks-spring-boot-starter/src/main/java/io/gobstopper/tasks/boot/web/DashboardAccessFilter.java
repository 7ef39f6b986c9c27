package io.gobstopper.tasks.boot.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Without Spring Security, the dashboard ({@code gobstopper.tasks.dashboard.path} and everything under it) answers
 * only requests from the local machine, unless {@code gobstopper.tasks.dashboard.allow-remote=true}: others get a
 * 403 problem that names the property. The remote address is the servlet request's, so behind a proxy it is the
 * proxy's unless the application trusts forwarded headers ({@code server.forward-headers-strategy}).
 */
public final class DashboardAccessFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isLocal(request.getRemoteAddr())) {
            chain.doFilter(request, response);
            return;
        }
        TasksProblemResolver.write(
                response,
                HttpStatus.FORBIDDEN,
                "The task dashboard answers only requests from the "
                        + "local machine, and this one came from " + request.getRemoteAddr() + ". To serve it to other "
                        + "machines set gobstopper.tasks.dashboard.allow-remote=true (and protect it, e.g. with Spring "
                        + "Security).",
                request.getRequestURI());
    }

    /** Whether an address (an IP literal, as servlet containers give it) is a loopback address. */
    static boolean isLocal(String address) {
        if (address == null || address.isBlank() || !address.matches("[0-9A-Fa-f.:%\\[\\]]+")) {
            return false; // not a literal: never look a name up
        }
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException ex) {
            return false;
        }
    }
}
