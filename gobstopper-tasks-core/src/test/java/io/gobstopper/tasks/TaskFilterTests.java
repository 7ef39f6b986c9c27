package io.gobstopper.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class TaskFilterTests {

    @Test
    void theLimitMustBeBetweenOneAndOneThousand() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new TaskFilter(null, null, null, 0, 0))
                .withMessage("limit must be between 1 and 1000, got 0: page through with offset");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new TaskFilter(null, null, null, 1001, 0))
                .withMessage("limit must be between 1 and 1000, got 1001: page through with offset");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TaskFilter.all().page(-5, 0))
                .withMessageContaining("got -5");

        assertThat(new TaskFilter(null, null, null, 1, 0).limit()).isEqualTo(1);
        assertThat(new TaskFilter(null, null, null, 1000, 0).limit()).isEqualTo(1000);
    }

    @Test
    void theOffsetMustNotBeNegative() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new TaskFilter(null, null, null, 10, -1))
                .withMessage("offset must be 0 or more, got -1");

        assertThat(TaskFilter.all().page(10, 0).offset()).isZero();
    }

    @Test
    void blankCategoryAndNameMatchEverything() {
        TaskFilter filter = new TaskFilter("  ", TaskStatus.FAILED, "", 10, 5);

        assertThat(filter.category()).isNull();
        assertThat(filter.name()).isNull();
        assertThat(filter.status()).isEqualTo(TaskStatus.FAILED);
    }

    @Test
    void pagingKeepsTheFilters() {
        TaskFilter page = new TaskFilter("mail", TaskStatus.PENDING, "send", 10, 0).page(20, 40);

        assertThat(page).isEqualTo(new TaskFilter("mail", TaskStatus.PENDING, "send", 20, 40));
        assertThat(TaskFilter.all()).isEqualTo(new TaskFilter(null, null, null, TaskFilter.DEFAULT_LIMIT, 0));
        assertThat(TaskFilter.byStatus(TaskStatus.RETRY).status()).isEqualTo(TaskStatus.RETRY);
    }
}
