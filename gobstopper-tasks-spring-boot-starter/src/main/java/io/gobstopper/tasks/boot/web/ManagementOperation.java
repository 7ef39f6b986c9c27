package io.gobstopper.tasks.boot.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a REST operation that changes tasks or workers rather than reading or submitting them: refused while
 * {@code gobstopper.tasks.dashboard.read-only=true}, and reserved to {@code gobstopper.tasks.dashboard.role} when
 * Spring Security is present. See {@link ManagementOperationsGuard}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@interface ManagementOperation {

    /** What the operation does, for refusals: "cancel a task". */
    String value();
}
