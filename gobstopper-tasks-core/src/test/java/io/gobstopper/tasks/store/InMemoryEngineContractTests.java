package io.gobstopper.tasks.store;

import io.gobstopper.tasks.contract.InMemoryTestStorage;
import io.gobstopper.tasks.contract.TestStorage;
import io.gobstopper.tasks.engine.ArgumentBindingContract;
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
import io.gobstopper.tasks.engine.PriorityAgingContract;
import io.gobstopper.tasks.engine.PriorityOrderContract;
import io.gobstopper.tasks.engine.ProgressContract;
import io.gobstopper.tasks.engine.QueueCapacityContract;
import io.gobstopper.tasks.engine.QueueWaitContract;
import io.gobstopper.tasks.engine.RateLimitContract;
import io.gobstopper.tasks.engine.RecurringTaskContract;
import io.gobstopper.tasks.engine.RestartRecoveryContract;
import io.gobstopper.tasks.engine.RetryBackoffContract;
import io.gobstopper.tasks.engine.RunawayTasksContract;
import io.gobstopper.tasks.engine.StoredSizeContract;
import io.gobstopper.tasks.engine.SubmitAsyncContract;
import io.gobstopper.tasks.engine.TaskListenerContract;
import io.gobstopper.tasks.engine.TaskResultContract;
import io.gobstopper.tasks.engine.TimeoutAndCancelContract;
import io.gobstopper.tasks.engine.UniqueKeyContract;
import io.gobstopper.tasks.engine.WorkerResizeContract;

/** The engine's behaviour on the in-memory store: every engine contract, as on DuckDB. */
class InMemoryEngineContractTests
        implements ArgumentBindingContract,
                CancelContract,
                CancelRaceContract,
                ChangedCodeContract,
                DelayedStartContract,
                DeleteAndCleanupContract,
                DependencyAndBatchContract,
                EngineLifecycleContract,
                GracefulShutdownContract,
                ListingAndStatsContract,
                ManualRetryContract,
                PriorityAgingContract,
                PriorityOrderContract,
                ProgressContract,
                QueueCapacityContract,
                QueueWaitContract,
                RateLimitContract,
                RecurringTaskContract,
                RestartRecoveryContract,
                RetryBackoffContract,
                RunawayTasksContract,
                StoredSizeContract,
                SubmitAsyncContract,
                TaskListenerContract,
                TaskResultContract,
                TimeoutAndCancelContract,
                UniqueKeyContract,
                WorkerResizeContract {

    @Override
    public TestStorage storage() {
        return new InMemoryTestStorage();
    }
}
