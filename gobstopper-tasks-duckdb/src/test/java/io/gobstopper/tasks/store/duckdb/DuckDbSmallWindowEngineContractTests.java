package io.gobstopper.tasks.store.duckdb;

import io.gobstopper.tasks.contract.TestStorage;
import io.gobstopper.tasks.engine.CancelContract;
import io.gobstopper.tasks.engine.CancelRaceContract;
import io.gobstopper.tasks.engine.ChangedCodeContract;
import io.gobstopper.tasks.engine.DelayedStartContract;
import io.gobstopper.tasks.engine.DeleteAndCleanupContract;
import io.gobstopper.tasks.engine.DependencyAndBatchContract;
import io.gobstopper.tasks.engine.EngineLifecycleContract;
import io.gobstopper.tasks.engine.GracefulShutdownContract;
import io.gobstopper.tasks.engine.ListingAndStatsContract;
import io.gobstopper.tasks.engine.ManualRetryContract;
import io.gobstopper.tasks.engine.PriorityOrderContract;
import io.gobstopper.tasks.engine.QueueCapacityContract;
import io.gobstopper.tasks.engine.QueueWaitContract;
import io.gobstopper.tasks.engine.RestartRecoveryContract;
import io.gobstopper.tasks.engine.RetryBackoffContract;
import io.gobstopper.tasks.engine.UniqueKeyContract;
import io.gobstopper.tasks.engine.WorkerResizeContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's behaviour on the DuckDB store with a queue window of 2, so that almost every task of these contracts
 * goes through the backlog: the contracts about queues, order, cancels, dependencies, restarts and counts. (The aging
 * contract's timing bound, and the 1,000 tasks of the submit contract in its time, do not hold when every task is a page
 * read: aging across the window is in {@link QueueWindowTests}.)
 */
class DuckDbSmallWindowEngineContractTests
        implements CancelContract,
                CancelRaceContract,
                ChangedCodeContract,
                DelayedStartContract,
                DeleteAndCleanupContract,
                DependencyAndBatchContract,
                EngineLifecycleContract,
                GracefulShutdownContract,
                QueueCapacityContract,
                ListingAndStatsContract,
                ManualRetryContract,
                PriorityOrderContract,
                QueueWaitContract,
                RestartRecoveryContract,
                RetryBackoffContract,
                UniqueKeyContract,
                WorkerResizeContract {

    @TempDir
    Path dir;

    @Override
    public TestStorage storage() {
        return new DuckDbTestStorage(dir, 2);
    }
}
