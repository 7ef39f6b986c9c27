package io.gobstopper.tasks.store.postgres;

import io.gobstopper.tasks.contract.TestStorage;
import io.gobstopper.tasks.store.SharedTaskStoreContract;

/** The PostgreSQL store held to the shared store contract. */
class PostgresSharedTaskStoreContractTests extends SharedTaskStoreContract {

    @Override
    protected TestStorage storage() {
        return new PostgresTestStorage();
    }
}
