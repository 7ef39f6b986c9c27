package io.gobstopper.it.postgresonly;

import io.gobstopper.tasks.BackgroundTask;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Component;

/** An application that keeps its tasks in PostgreSQL and has excluded the DuckDB module from the starter. */
@SpringBootApplication
public class PostgresOnlyApplication {

    public static void main(String[] args) {
        SpringApplication.run(PostgresOnlyApplication.class, args);
    }

    /** Its one task, which remembers who it greeted. */
    @Component
    public static class Greetings {

        private final Set<String> greeted = ConcurrentHashMap.newKeySet();

        @BackgroundTask(name = "greet")
        public String greet(String name) {
            greeted.add(name);
            return "Hello, " + name;
        }

        public Set<String> greeted() {
            return Set.copyOf(greeted);
        }
    }
}
