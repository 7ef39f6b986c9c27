package io.gobstopper.tasks.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.contract.TestStorage;
import io.gobstopper.tasks.store.LiveTask;
import io.gobstopper.tasks.store.SharedTaskStore;
import io.gobstopper.tasks.store.TaskStore;
import io.gobstopper.tasks.store.TaskStoreContract;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The PostgreSQL store held to the store contract: its instance claims a task to run it. */
class PostgresTaskStoreContractTests extends TaskStoreContract {

    @Override
    protected TestStorage storage() {
        return new PostgresTestStorage();
    }

    @Override
    protected LiveTask take(TaskStore store, UUID id, String category, Instant now) {
        List<LiveTask> claimed = ((SharedTaskStore) store).claim(category, 1, now);
        assertThat(claimed)
                .as("task %s is claimed", id)
                .singleElement()
                .satisfies(task -> assertThat(task.id()).isEqualTo(id));
        return claimed.get(0);
    }
}
