package io.gobstopper.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TaskPriorityTests {

    private static final String VALID = "use one of LOW (1), NORMAL (2), HIGH (3), CRITICAL (4)";

    @ParameterizedTest
    @CsvSource({
        "low, LOW", "LOW, LOW", "Normal, NORMAL", "hIgH, HIGH", "'  critical ', CRITICAL",
        "1, LOW", "2, NORMAL", "3, HIGH", "4, CRITICAL", "' 3 ', HIGH"
    })
    void parsesNamesInAnyCaseAndLevels(String text, TaskPriority expected) {
        assertThat(TaskPriority.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"urgent", "0", "5", "9", "33", "-1", "HIGHEST"})
    void refusesOtherValuesListingTheValidOnes(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TaskPriority.parse(text))
                .withMessageContaining("Unknown priority '" + text.trim() + "'")
                .withMessageEndingWith(VALID);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void refusesNothingListingTheValidValues(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TaskPriority.parse(text))
                .withMessageEndingWith(VALID);
    }

    @Test
    void levelsRunFromOneForLowToFourForCritical() {
        assertThat(TaskPriority.values()).extracting(TaskPriority::level).containsExactly(1, 2, 3, 4);
        assertThat(TaskPriority.ofLevel(3)).isEqualTo(TaskPriority.HIGH);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TaskPriority.ofLevel(0))
                .withMessage("Unknown priority '0': " + VALID);
    }
}
