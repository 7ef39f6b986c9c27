package io.gobstopper.tasks.boot.support;

import io.gobstopper.tasks.boot.testapp.SharedStoreTestApplication;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts instances of the shared-store test application, each a Spring Boot application on a random port. */
public final class SharedStoreInstances {

    private SharedStoreInstances() {}

    /**
     * One instance on the PostgreSQL schema, with the properties every such test uses.
     *
     * @param more the test's own properties: at least where the database is
     */
    public static ConfigurableApplicationContext start(String schema, String nodeId, String... more) {
        List<String> properties = new ArrayList<>(List.of(
                "server.port=0",
                "spring.main.banner-mode=off",
                "gobstopper.tasks.enabled=true",
                "gobstopper.tasks.store=postgres",
                "gobstopper.tasks.postgres.schema=" + schema,
                "gobstopper.tasks.postgres.node-id=" + nodeId,
                "gobstopper.tasks.postgres.poll-interval=200ms",
                "gobstopper.tasks.shutdown-timeout=5s",
                "management.endpoint.health.show-details=always"));
        properties.addAll(List.of(more));
        return new SpringApplicationBuilder(SharedStoreTestApplication.class)
                .properties(properties.toArray(String[]::new))
                .run();
    }

    /** The port an instance's web server listens on. */
    public static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
