package io.gobstopper.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TaskStatusTests {

    private static final String VALID = "use one of PENDING, STARTED, SUCCESS, FAILED, CANCELLED, RETRY";

    @ParameterizedTest
    @CsvSource({
        "pending, PENDING",
        "STARTED, STARTED",
        "Success, SUCCESS",
        "fAiLeD, FAILED",
        "' cancelled ', CANCELLED",
        "retry, RETRY"
    })
    void parsesNamesInAnyCase(String text, TaskStatus expected) {
        assertThat(TaskStatus.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"done", "1", "RUNNING", "canceled"})
    void refusesOtherValuesListingTheValidOnes(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TaskStatus.parse(text))
                .withMessage("Unknown status '" + text + "': " + VALID);
    }

    @ParameterizedTest
    @NullAndEmptySource
    void refusesNothingListingTheValidValues(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TaskStatus.parse(text))
                .withMessageEndingWith(VALID);
    }

    @Test
    void successFailedAndCancelledAreTheEndStates() {
        assertThat(TaskStatus.values())
                .filteredOn(TaskStatus::isCompleted)
                .containsExactlyInAnyOrder(TaskStatus.SUCCESS, TaskStatus.FAILED, TaskStatus.CANCELLED);
    }
}
