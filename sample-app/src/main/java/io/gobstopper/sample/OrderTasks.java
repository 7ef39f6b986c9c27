package io.gobstopper.sample;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.TaskContext;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Order handling: one task that flakes before it succeeds, one that fails fast on bad data. */
@Component
public class OrderTasks {

    /** Fails on its first {@code failures} attempts (a flaky payment gateway), then succeeds. */
    @BackgroundTask(name = "sync_inventory", category = "orders", maxRetries = 5, exposed = true)
    public Map<String, Object> syncInventory(String sku, int failures, TaskContext context) {
        if (context.attempt() <= failures) {
            throw new IllegalStateException("inventory service timed out (attempt " + context.attempt() + ")");
        }
        return Map.of("sku", sku, "attempts", context.attempt());
    }

    /** Invalid orders will never become valid: fail at once instead of retrying. */
    @BackgroundTask(
            name = "validate_order",
            category = "orders",
            maxRetries = 3,
            noRetryFor = IllegalArgumentException.class,
            exposed = true)
    public Map<String, Object> validateOrder(String orderId, int quantity) {
        if (quantity <= 0) {
            throw new IllegalArgumentException(
                    "order " + orderId + " has quantity " + quantity + "; it must be positive");
        }
        return Map.of("orderId", orderId, "valid", true);
    }
}
