package io.gobstopper.tasks;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method as a named background task. Its parameters are bound from the task's JSON arguments; a
 * {@link TaskContext} parameter is injected instead. The method may return a value (stored as JSON in
 * {@code result}) or a {@code CompletableFuture}, which is awaited.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface BackgroundTask {

    /** The task's name, unique in the application. Defaults to the method name. */
    String name() default "";

    /** The category whose worker pool runs the task. */
    String category() default "default";

    /** The priority tasks get when the submitter does not choose one. */
    TaskPriority priority() default TaskPriority.NORMAL;

    /** How many times a failed run is retried (with backoff) before the task ends FAILED. */
    int maxRetries() default 0;

    /** Exceptions (and their subclasses) that fail the task at once, without retries. */
    Class<? extends Throwable>[] noRetryFor() default {};

    /** Whether {@code POST /api/tasks} may submit this task. Every task can be submitted from code. */
    boolean exposed() default false;

    /**
     * The longest a run may take, e.g. {@code "30s"}, {@code "500ms"}, {@code "5m"} or {@code "PT30S"}: a run that
     * takes longer is interrupted and counts as a failed attempt. Empty for no limit.
     */
    String timeout() default "";

    /**
     * Makes the task recurring: a cron expression with six fields (second, minute, hour, day of month, month, day
     * of week), as Spring's {@code @Scheduled}. One run per fire time, across restarts; a fire time missed while
     * the application was down runs once at startup. The method may take no arguments besides a
     * {@link TaskContext}. {@code gobstopper.tasks.schedules.<name>.cron} overrides it ({@code "-"} disables it).
     */
    String cron() default "";

    /** The time zone the cron expression is read in, e.g. {@code "Europe/Paris"}; empty for UTC. */
    String zone() default "";

    /**
     * Former names of the task: stored tasks submitted under one of them run this method, so a task can be renamed
     * while tasks stored under its old name wait. A submit under a former name is accepted too, and stored under
     * that name. Each alias must be a valid task name that no other task uses as its name or alias.
     */
    String[] aliases() default {};
}
