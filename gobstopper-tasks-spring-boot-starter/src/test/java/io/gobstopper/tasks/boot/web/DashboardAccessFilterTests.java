package io.gobstopper.tasks.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class DashboardAccessFilterTests {

    private final DashboardAccessFilter filter = new DashboardAccessFilter();

    @Test
    void aRequestFromAnotherMachineIsRefusedWithAProblemThatNamesTheProperty() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/gobstopper/index.html");
        request.setRemoteAddr("192.0.2.7");
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();

        filter.doFilter(request, response, chain);

        assertThat(chain.getRequest()).as("the request went no further").isNull();
        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(response.getContentType()).startsWith("application/problem+json");
        assertThat(response.getContentAsString())
                .contains("gobstopper.tasks.dashboard.allow-remote=true")
                .contains("192.0.2.7");
    }

    @Test
    void requestsFromTheLocalMachinePass() throws Exception {
        for (String local : new String[] {"127.0.0.1", "127.1.2.3", "::1", "0:0:0:0:0:0:0:1"}) {
            MockHttpServletRequest request = new MockHttpServletRequest("GET", "/gobstopper");
            request.setRemoteAddr(local);
            MockFilterChain chain = new MockFilterChain();

            filter.doFilter(request, new MockHttpServletResponse(), chain);

            assertThat(chain.getRequest()).as(local).isSameAs(request);
        }
    }

    @Test
    void onlyLoopbackLiteralsCountAsLocal() {
        assertThat(DashboardAccessFilter.isLocal("10.0.0.1")).isFalse();
        assertThat(DashboardAccessFilter.isLocal("::ffff:192.0.2.1")).isFalse();
        assertThat(DashboardAccessFilter.isLocal("localhost"))
                .as("names are never looked up")
                .isFalse();
        assertThat(DashboardAccessFilter.isLocal("")).isFalse();
        assertThat(DashboardAccessFilter.isLocal(null)).isFalse();
    }
}
