package io.gobstopper.tasks.boot.web;

/** Decides whether the current caller may run a management operation; refuses by throwing. */
@FunctionalInterface
public interface OperatorCheck {

    /**
     * @param operation what the caller asks to do, e.g. "cancel a task"
     * @throws RuntimeException a refusal the REST API renders as a problem (401 or 403)
     */
    void check(String operation);
}
