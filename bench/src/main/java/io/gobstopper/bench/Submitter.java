package io.gobstopper.bench;

import io.gobstopper.tasks.TaskRequest;
import io.gobstopper.tasks.engine.TaskEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * How the shared-store scenario submits its no-op tasks, from one thread: {@code async}, one {@code submitAsync} per
 * task, then waits for every future; or {@code batch}, {@code submitAll} in batches of {@code batch}. Either way it
 * returns how many were stored and what went wrong with the others, so that a run never counts tasks it lost.
 */
abstract sealed class Submitter {

    /** What one submission left: tasks stored, tasks refused or failed, and the first failure. */
    record Outcome(int stored, int failed, Throwable firstFailure) {

        /** Reports {@code submit_failures}, and the first failure as {@code submit_error} if there was one. */
        void report() {
            Report.metric("submit_failures", failed);
            if (firstFailure != null) {
                Report.note("submit_error", firstFailure.toString());
            }
        }
    }

    static Submitter of(String mode, int batch) {
        return switch (mode) {
            case "async" -> new Async();
            case "batch" -> new Batch(batch);
            default -> throw new IllegalArgumentException("submit is async or batch, not " + mode);
        };
    }

    /** Submits {@code count} no-op tasks and waits until each is stored or has failed. */
    abstract Outcome submit(TaskEngine engine, int count);

    private static Throwable cause(Throwable failure) {
        return (failure instanceof CompletionException || failure instanceof CancellationException)
                        && failure.getCause() != null
                ? failure.getCause()
                : failure;
    }

    /** One {@code submitAsync} per task; then every future joined. */
    static final class Async extends Submitter {

        @Override
        Outcome submit(TaskEngine engine, int count) {
            List<CompletableFuture<UUID>> pending = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                try {
                    pending.add(engine.submitAsync(TaskRequest.of("noop")));
                } catch (RuntimeException refused) { // a request is checked at once and may throw
                    pending.add(CompletableFuture.failedFuture(refused));
                }
            }
            int failed = 0;
            Throwable first = null;
            for (CompletableFuture<UUID> future : pending) {
                try {
                    future.join();
                } catch (CompletionException | CancellationException ex) {
                    failed++;
                    first = first == null ? cause(ex) : first;
                }
            }
            return new Outcome(count - failed, failed, first);
        }

        @Override
        public String toString() {
            return "submitAsync from one thread";
        }
    }

    /** {@code submitAll} in batches; a batch that throws stored none of its tasks. */
    static final class Batch extends Submitter {
        private final int size;

        Batch(int size) {
            this.size = size;
        }

        @Override
        Outcome submit(TaskEngine engine, int count) {
            int failed = 0;
            Throwable first = null;
            List<TaskRequest> requests = new ArrayList<>(size);
            for (int i = 0; i < count; i++) {
                requests.add(TaskRequest.of("noop"));
                if (requests.size() == size || i == count - 1) {
                    try {
                        engine.submitAll(requests);
                    } catch (RuntimeException ex) {
                        failed += requests.size();
                        first = first == null ? ex : first;
                    }
                    requests.clear();
                }
            }
            return new Outcome(count - failed, failed, first);
        }

        @Override
        public String toString() {
            return "submitAll in batches of " + size + " from one thread";
        }
    }
}
