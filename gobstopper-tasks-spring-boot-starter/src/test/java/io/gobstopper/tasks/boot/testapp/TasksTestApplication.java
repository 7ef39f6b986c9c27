package io.gobstopper.tasks.boot.testapp;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/** A minimal application with a few tasks, for the tests that start a real server. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(TestTasks.class)
public class TasksTestApplication {}
