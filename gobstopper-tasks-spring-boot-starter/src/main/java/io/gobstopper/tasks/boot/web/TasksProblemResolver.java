package io.gobstopper.tasks.boot.web;

import io.gobstopper.tasks.BatchItemException;
import io.gobstopper.tasks.InvalidTaskArgumentsException;
import io.gobstopper.tasks.QueueFullException;
import io.gobstopper.tasks.TaskArgumentsTooLargeException;
import io.gobstopper.tasks.TaskNotFoundException;
import io.gobstopper.tasks.TaskQueueUnavailableException;
import io.gobstopper.tasks.TaskStateException;
import io.gobstopper.tasks.TaskStoreException;
import io.gobstopper.tasks.TaskStoreUnavailableException;
import io.gobstopper.tasks.TasksDisabledException;
import io.gobstopper.tasks.UnknownScheduleException;
import io.gobstopper.tasks.UnknownTaskException;
import io.gobstopper.tasks.UnsupportedStoreOperationException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Answers every failed request under the API's base path with an RFC 9457 problem
 * ({@code application/problem+json}) whose {@code detail} says what was wrong and how to fix it. It sees errors
 * raised before a handler is chosen too (unknown path, wrong method). Bad input never answers 500, and no stack
 * trace reaches the client: an unexpected failure is logged with an id the answer quotes.
 */
public final class TasksProblemResolver implements HandlerExceptionResolver, Ordered {

    private static final Logger log = LoggerFactory.getLogger(TasksProblemResolver.class);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** Seconds a client should wait before trying again after a 503. */
    static final String RETRY_AFTER_SECONDS = "5";

    private final String basePath;

    public TasksProblemResolver(String basePath) {
        this.basePath = basePath;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public ModelAndView resolveException(
            HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!path.equals(basePath) && !path.startsWith(basePath + "/")) {
            return null;
        }
        if (ex instanceof AsyncRequestNotUsableException) {
            // an event stream client went away: nothing to answer, and nothing went wrong
            log.debug("Client of {} went away: {}", path, ex.getMessage());
            return new ModelAndView();
        }
        HttpStatus status = statusOf(ex);
        String detail = ex.getMessage();
        if (status == HttpStatus.NOT_FOUND
                && (ex instanceof NoResourceFoundException || ex instanceof NoHandlerFoundException)) {
            detail = "No such endpoint: " + request.getMethod() + " " + path
                    + ". The task API is described in the README.";
        } else if (ex instanceof HttpRequestMethodNotSupportedException methodEx) {
            detail = request.getMethod() + " is not supported here; use "
                    + String.join(
                            ", ",
                            methodEx.getSupportedMethods() == null ? new String[0] : methodEx.getSupportedMethods());
            if (methodEx.getSupportedMethods() != null) {
                response.setHeader(HttpHeaders.ALLOW, String.join(", ", methodEx.getSupportedMethods()));
            }
        } else if (status == HttpStatus.INTERNAL_SERVER_ERROR) {
            String incident = UUID.randomUUID().toString();
            log.error("Unexpected failure of {} {} (incident {})", request.getMethod(), path, incident, ex);
            detail = "The task system failed unexpectedly; the server log has the details under incident " + incident;
        }
        if (status == HttpStatus.SERVICE_UNAVAILABLE && !(ex instanceof TasksDisabledException)) {
            response.setHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        if (reason(ex) instanceof QueueFullException full) {
            response.setHeader(HttpHeaders.RETRY_AFTER, retryAfterSeconds(full.retryAfter()));
        }
        if (reason(ex) instanceof TaskStoreUnavailableException away) {
            response.setHeader(HttpHeaders.RETRY_AFTER, retryAfterSeconds(away.retryAfter()));
        }
        write(response, status, detail, request.getRequestURI());
        return new ModelAndView();
    }

    /** What a batch's refused item was refused for; the exception itself otherwise. */
    private static Exception reason(Exception ex) {
        return ex instanceof BatchItemException batch ? batch.reason() : ex;
    }

    /** Whole seconds, rounded up, at least 1 (0 would invite an immediate retry that fails again). */
    static String retryAfterSeconds(Duration retryAfter) {
        if (retryAfter == null) {
            return "1";
        }
        long millis = Math.max(0, retryAfter.toMillis());
        return Long.toString(Math.max(1, (millis + 999) / 1000));
    }

    private static HttpStatus statusOf(Exception ex) {
        if (ex instanceof BatchItemException batch) {
            return statusOf(batch.reason());
        }
        if (ex instanceof QueueFullException) {
            return HttpStatus.TOO_MANY_REQUESTS;
        }
        if (ex instanceof TaskArgumentsTooLargeException) {
            return HttpStatus.CONTENT_TOO_LARGE;
        }
        if (ex instanceof ApiException api) {
            return api.status();
        }
        if (ex instanceof UnknownTaskException
                || ex instanceof TaskNotFoundException
                || ex instanceof UnknownScheduleException
                || ex instanceof NoResourceFoundException
                || ex instanceof NoHandlerFoundException) {
            return HttpStatus.NOT_FOUND;
        }
        if (ex instanceof TaskStateException || ex instanceof UnsupportedStoreOperationException) {
            return HttpStatus.CONFLICT;
        }
        if (ex instanceof InvalidTaskArgumentsException || ex instanceof IllegalArgumentException) {
            return HttpStatus.BAD_REQUEST;
        }
        if (ex instanceof TaskQueueUnavailableException || ex instanceof TaskStoreException) {
            return HttpStatus.SERVICE_UNAVAILABLE; // the store cannot take work now (a full disk, a lost database)
        }
        if (ex instanceof HttpRequestMethodNotSupportedException) {
            return HttpStatus.METHOD_NOT_ALLOWED;
        }
        if (ex instanceof HttpMediaTypeNotAcceptableException) {
            return HttpStatus.NOT_ACCEPTABLE;
        }
        return HttpStatus.INTERNAL_SERVER_ERROR;
    }

    /** Writes an RFC 9457 problem answer. */
    static void write(HttpServletResponse response, HttpStatus status, String detail, String instance) {
        ObjectNode problem = MAPPER.createObjectNode()
                .put("type", "about:blank")
                .put("title", status.getReasonPhrase())
                .put("status", status.value())
                .put("detail", detail)
                .put("instance", instance);
        try {
            response.setStatus(status.value());
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            response.getOutputStream().write(MAPPER.writeValueAsBytes(problem));
        } catch (IOException | IllegalStateException ex) {
            log.debug("Could not write the problem answer: {}", ex.getMessage());
        }
    }
}
