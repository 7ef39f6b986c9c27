package io.gobstopper.tasks.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gobstopper.tasks.InvalidTaskArgumentsException;
import io.gobstopper.tasks.TaskArgumentsTooLargeException;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskStatus;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What a task stores is bounded: too large arguments are refused, a too large result or error is cut and marked. */
public interface StoredSizeContract extends EngineContract {

    @Test
    default void argumentsLargerThanATaskMayCarryAreRefusedAndNothingIsStored() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            String huge = "x".repeat(StoredText.MAX_ARGUMENTS + 1);
            assertThatThrownBy(() -> fixture.engine().submit("record", huge))
                    .isInstanceOf(TaskArgumentsTooLargeException.class)
                    .isInstanceOf(InvalidTaskArgumentsException.class)
                    .hasMessageContaining("Task 'record'")
                    .hasMessageContaining("more than the 1048576")
                    .hasMessageContaining("pass a reference");
            assertThat(fixture.engine().stats().total()).isZero();
        }
    }

    @Test
    default void aResultLargerThanTheLimitIsStoredAsAMarkedPreview() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            String label = "r".repeat(StoredText.MAX_RESULT + 10);
            UUID id = fixture.engine().submit("record", label);
            TaskInfo done = fixture.awaitStatus(id, TaskStatus.SUCCESS);

            JsonNode result = JsonMapper.builder().build().readTree(done.result());
            assertThat(result.path("truncated").asBoolean()).isTrue();
            assertThat(result.path("length").asInt()).isEqualTo(label.length() + 2); // the JSON string's quotes
            assertThat(result.path("preview").asString()).hasSize(1000).startsWith("\"rrr");
            assertThat(done.result().length()).isLessThan(2000);
        }
    }

    @Test
    default void anErrorLongerThanTheLimitIsCutAndSaysHowLongItWas() {
        try (EngineFixture fixture = EngineFixture.start(storage())) {
            String key = "e".repeat(StoredText.MAX_ERROR * 2);
            UUID id = fixture.engine().submit("fail_fast", key);
            TaskInfo failed = fixture.awaitStatus(id, TaskStatus.FAILED);

            assertThat(failed.error())
                    .startsWith("java.lang.IllegalArgumentException: bad input eee")
                    .endsWith("... [truncated: "
                            + ("java.lang.IllegalArgumentException: bad input ".length() + key.length())
                            + " characters in all]");
            assertThat(failed.error().length()).isLessThan(StoredText.MAX_ERROR + 100);
        }
    }
}
