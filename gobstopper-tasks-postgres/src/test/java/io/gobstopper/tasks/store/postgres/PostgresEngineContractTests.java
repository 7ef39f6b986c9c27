package io.gobstopper.tasks.store.postgres;

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
import io.gobstopper.tasks.engine.PriorityOrderContract;
import io.gobstopper.tasks.engine.ProgressContract;
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

/**
 * The engine's behaviour on the PostgreSQL store shared by several instances: every engine contract but two, which
 * this store declares it does not keep in this release. {@link io.gobstopper.tasks.engine.QueueCapacityContract}: a
 * category's queue capacity is not applied (a submit is never refused). {@link
 * io.gobstopper.tasks.engine.PriorityAgingContract}: instances claim the highest priority first, and aging orders only
 * the tasks an instance has claimed, so a steady stream of HIGH work keeps LOW work waiting. Rate limits hold per
 * instance.
 */
class PostgresEngineContractTests
        implements ArgumentBindingContract,
                CancelContract,
                CancelRaceContract,
                ChangedCodeContract,
                DelayedStartContract,
                DeleteAndCleanupContract,
                DependencyAndBatchContract,
                EngineLifecycleContract,
                GracefulShutdownContract,
                RateLimitContract,
                ListingAndStatsContract,
                ManualRetryContract,
                PriorityOrderContract,
                ProgressContract,
                QueueWaitContract,
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
        return new PostgresTestStorage();
    }
}
