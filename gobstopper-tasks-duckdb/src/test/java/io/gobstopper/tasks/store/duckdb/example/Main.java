package io.gobstopper.tasks.store.duckdb.example;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.GobstopperTasks;
import io.gobstopper.tasks.ManagedTaskQueue;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.store.duckdb.DuckDbTaskStore;
import java.nio.file.Path;
import java.util.UUID;

public class Main {

    /** The tasks: any object with @BackgroundTask methods. */
    public static class EmailTasks {

        @BackgroundTask(name = "send_email", category = "mail", maxRetries = 3)
        public String send(String to, String subject) {
            return "sent '" + subject + "' to " + to;
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Path file = Path.of(args.length > 0 ? args[0] : "tasks.duckdb");
        try (ManagedTaskQueue tasks = GobstopperTasks.builder()
                .store(new DuckDbTaskStore(file))
                .tasks(new EmailTasks())
                .workers("mail", 4)
                .build()) {
            tasks.start();
            UUID id = tasks.submit("send_email", "ada@example.com", "Welcome!");
            TaskInfo task = tasks.get(id).orElseThrow();
            while (!task.isCompleted()) {
                Thread.sleep(10);
                task = tasks.get(id).orElseThrow();
            }
            System.out.println(task.status() + " " + task.result());
        }
    }
}
