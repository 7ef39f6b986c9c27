package io.gobstopper.tasks.boot.web;

import org.springframework.http.HttpStatus;

/** A request the REST API refuses, with the status to answer and a detail that says how to fix it. */
final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final HttpStatus status;

    ApiException(HttpStatus status, String detail) {
        super(detail);
        this.status = status;
    }

    static ApiException badRequest(String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, detail);
    }

    HttpStatus status() {
        return status;
    }
}
