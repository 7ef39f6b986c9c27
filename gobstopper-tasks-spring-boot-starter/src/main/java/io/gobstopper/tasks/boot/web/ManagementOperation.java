package io.gobstopper.tasks.boot.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a REST operation that writes (submits tasks, or changes tasks or workers) rather than reads: reserved to
 * {@code gobstopper.tasks.web.write-role} when Spring Security is present, and, unless {@link #whileReadOnly()},
 * refused while {@code gobstopper.tasks.web.read-only=true}. See {@link ManagementOperationsGuard}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@interface ManagementOperation {

    /** What the operation does, for refusals: "cancel a task". */
    String value();

    /**
     * Whether it stays allowed while {@code web.read-only=true}: read-only hides the dashboard's actions on
     * existing tasks, not the submitting of new ones; the role is needed either way.
     */
    boolean whileReadOnly() default false;
}
