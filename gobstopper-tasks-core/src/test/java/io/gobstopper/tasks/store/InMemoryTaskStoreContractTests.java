package io.gobstopper.tasks.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.contract.InMemoryTestStorage;
import io.gobstopper.tasks.contract.TestStorage;
import java.time.Instant;
import java.util.UUID;

/** The in-memory store held to the store contract. */
class InMemoryTaskStoreContractTests extends TaskStoreContract {

    @Override
    protected TestStorage storage() {
        return new InMemoryTestStorage();
    }

    @Override
    protected LiveTask take(TaskStore store, UUID id, String category, Instant now) {
        LiveTask task = store.tracked(id);
        assertThat(task).as("task %s is held to run", id).isNotNull();
        return task;
    }
}
