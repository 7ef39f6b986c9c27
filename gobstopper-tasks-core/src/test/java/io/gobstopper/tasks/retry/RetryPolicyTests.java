package io.gobstopper.tasks.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTests {

    @Test
    void theDefaultWaitsTwoFourEightSecondsAndSoOnCappedAtOneMinute() {
        RetryPolicy policy = RetryPolicy.DEFAULT;

        assertThat(policy.delayBefore(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.delayBefore(2)).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.delayBefore(3)).isEqualTo(Duration.ofSeconds(8));
        assertThat(policy.delayBefore(4)).isEqualTo(Duration.ofSeconds(16));
        assertThat(policy.delayBefore(5)).isEqualTo(Duration.ofSeconds(32));
        assertThat(policy.delayBefore(6)).isEqualTo(Duration.ofSeconds(60));
        assertThat(policy.delayBefore(7)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void veryLateRetriesStayAtTheMaximumInsteadOfOverflowing() {
        assertThat(RetryPolicy.DEFAULT.delayBefore(100)).isEqualTo(Duration.ofSeconds(60));
        assertThat(RetryPolicy.DEFAULT.delayBefore(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aMultiplierOfOneWaitsTheSameEachTime() {
        RetryPolicy policy = new RetryPolicy(Duration.ofMillis(250), 1.0, Duration.ofSeconds(1));

        assertThat(policy.delayBefore(1)).isEqualTo(Duration.ofMillis(250));
        assertThat(policy.delayBefore(10)).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void aFractionalMultiplierGrowsTheDelay() {
        RetryPolicy policy = new RetryPolicy(Duration.ofMillis(100), 1.5, Duration.ofSeconds(10));

        assertThat(policy.delayBefore(2)).isEqualTo(Duration.ofMillis(150));
        assertThat(policy.delayBefore(3)).isEqualTo(Duration.ofMillis(225));
    }

    @Test
    void retriesCountFromOne() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RetryPolicy.DEFAULT.delayBefore(0))
                .withMessage("retry counts from 1, got 0");
    }

    @Test
    void theInitialDelayMustBeMoreThanZero() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RetryPolicy(Duration.ZERO, 2.0, Duration.ofSeconds(1)))
                .withMessage("retry.initial-delay must be more than zero, got PT0S");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RetryPolicy(Duration.ofSeconds(-1), 2.0, Duration.ofSeconds(1)))
                .withMessageContaining("retry.initial-delay must be more than zero");
    }

    @Test
    void theMultiplierMustBeAtLeastOne() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RetryPolicy(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(2)))
                .withMessage("retry.multiplier must be 1.0 or more, got 0.5");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RetryPolicy(Duration.ofSeconds(1), Double.NaN, Duration.ofSeconds(2)))
                .withMessageContaining("retry.multiplier must be 1.0 or more");
        assertThatIllegalArgumentException()
                .isThrownBy(
                        () -> new RetryPolicy(Duration.ofSeconds(1), Double.POSITIVE_INFINITY, Duration.ofSeconds(2)))
                .withMessageContaining("retry.multiplier must be 1.0 or more");
    }

    @Test
    void theMaximumMustBeAtLeastTheInitialDelay() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RetryPolicy(Duration.ofSeconds(10), 2.0, Duration.ofSeconds(5)))
                .withMessage("retry.max-delay (PT5S) must be at least retry.initial-delay (PT10S)");
    }

    @Test
    void delaysMustBeGiven() {
        assertThatNullPointerException()
                .isThrownBy(() -> new RetryPolicy(null, 2.0, Duration.ofSeconds(5)))
                .withMessage("retry.initial-delay must be set");
        assertThatNullPointerException()
                .isThrownBy(() -> new RetryPolicy(Duration.ofSeconds(1), 2.0, null))
                .withMessage("retry.max-delay must be set");
    }
}
