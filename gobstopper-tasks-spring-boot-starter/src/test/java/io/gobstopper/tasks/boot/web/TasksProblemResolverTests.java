package io.gobstopper.tasks.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.BatchItemException;
import io.gobstopper.tasks.InvalidTaskArgumentsException;
import io.gobstopper.tasks.QueueFullException;
import io.gobstopper.tasks.TaskException;
import io.gobstopper.tasks.UnknownScheduleException;
import io.gobstopper.tasks.UnknownTaskException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** How the exceptions of scheduling and flow control become problems, without a server. */
class TasksProblemResolverTests {

    private final TasksProblemResolver resolver = new TasksProblemResolver("/api/tasks");

    private MockHttpServletResponse resolve(Exception ex) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/tasks");
        MockHttpServletResponse response = new MockHttpServletResponse();
        assertThat(resolver.resolveException(request, response, null, ex)).isNotNull();
        assertThat(response.getContentType()).startsWith("application/problem+json");
        return response;
    }

    private static JsonNode problem(MockHttpServletResponse response) throws Exception {
        return JsonMapper.builder().build().readTree(response.getContentAsByteArray());
    }

    @Test
    void aFullQueueAnswers429WithRetryAfterInWholeSecondsRoundedUp() throws Exception {
        MockHttpServletResponse response = resolve(new QueueFullException("emails", 20, Duration.ofMillis(2500)));

        assertThat(response.getStatus()).isEqualTo(429);
        assertThat(response.getHeader("Retry-After")).isEqualTo("3");
        assertThat(problem(response).path("detail").asString()).contains("emails", "20", "queue-capacity");
    }

    @Test
    void retryAfterIsAtLeastOneSecond() {
        assertThat(resolve(new QueueFullException("emails", 1, Duration.ZERO)).getHeader("Retry-After"))
                .isEqualTo("1");
        assertThat(resolve(new QueueFullException("emails", 1, Duration.ofMillis(1)))
                        .getHeader("Retry-After"))
                .isEqualTo("1");
        assertThat(TasksProblemResolver.retryAfterSeconds(null)).isEqualTo("1");
        assertThat(TasksProblemResolver.retryAfterSeconds(Duration.ofSeconds(-5)))
                .isEqualTo("1");
        assertThat(TasksProblemResolver.retryAfterSeconds(Duration.ofSeconds(60)))
                .isEqualTo("60");
    }

    @Test
    void anUnknownScheduleAnswers404ListingTheKnownOnes() throws Exception {
        MockHttpServletResponse response = resolve(new UnknownScheduleException("nope", List.of("nightly", "tick")));

        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(problem(response).path("detail").asString()).contains("nope", "nightly", "tick");
    }

    @Test
    void aRefusedBatchItemAnswersTheStatusOfItsReasonWithADetailNamingTheItem() throws Exception {
        assertBatchItem(new InvalidTaskArgumentsException("parameter 'a' must be an int"), 400);
        assertBatchItem(new UnknownTaskException("nope", List.of("echo")), 404);
        MockHttpServletResponse full = assertBatchItem(new QueueFullException("emails", 5, Duration.ofSeconds(4)), 429);
        assertThat(full.getHeader("Retry-After")).isEqualTo("4");
    }

    private MockHttpServletResponse assertBatchItem(TaskException reason, int status) throws Exception {
        MockHttpServletResponse response = resolve(new BatchItemException(2, "add", reason));

        assertThat(response.getStatus()).as(reason.toString()).isEqualTo(status);
        assertThat(problem(response).path("detail").asString())
                .contains("item 2", "'add'", reason.getMessage(), "Nothing of the batch was stored");
        return response;
    }
}
