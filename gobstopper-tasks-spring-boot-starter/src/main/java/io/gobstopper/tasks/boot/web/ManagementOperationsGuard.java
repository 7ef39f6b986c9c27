package io.gobstopper.tasks.boot.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Guards the REST API's writes, its {@link ManagementOperation management operations} (submit, batch submit, cancel,
 * retry, delete, bulk-retry, cleanup, archive, resize, schedule pause/resume/trigger): the {@link OperatorCheck} (the
 * role check when Spring Security is present) decides who may run them, and all but submits are refused with 403
 * while {@code gobstopper.tasks.web.read-only} is true. Reads pass untouched. Refusals are thrown, so that
 * {@link TasksProblemResolver} answers them as problems.
 */
public final class ManagementOperationsGuard implements HandlerInterceptor {

    private final boolean readOnly;
    private final OperatorCheck operators;

    /**
     * @param readOnly whether every management operation is refused
     * @param operators decides who may run them; {@code null} lets everyone
     */
    public ManagementOperationsGuard(boolean readOnly, OperatorCheck operators) {
        this.readOnly = readOnly;
        this.operators = operators;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (handler instanceof HandlerMethod method) {
            ManagementOperation operation = method.getMethodAnnotation(ManagementOperation.class);
            if (operation != null) {
                if (readOnly && !operation.whileReadOnly()) {
                    throw new ApiException(
                            HttpStatus.FORBIDDEN,
                            "The task system is read-only: you cannot " + operation.value()
                                    + ". Set gobstopper.tasks.web.read-only=false to allow it.");
                }
                if (operators != null) {
                    operators.check(operation.value());
                }
            }
        }
        return true;
    }
}
