package io.gobstopper.tasks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A category's rate limit spaces out the starts of its tasks. */
public interface RateLimitContract extends EngineContract {

    @Test
    default void aRateLimitSpacesOutStarts() {
        FlowTasks flow = new FlowTasks();
        TaskEngineSettings settings = EngineFixture.SETTINGS.withCategory(
                "flow", new TaskEngineSettings.CategorySettings(4, null, null, RateLimit.parse("10/1s")));
        try (EngineFixture fixture = EngineFixture.start(storage(), settings, flow)) {
            Instant begin = Instant.now();
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                ids.add(fixture.engine().submit("mark", "m" + i));
            }
            ids.forEach(id -> fixture.awaitStatus(id, TaskStatus.SUCCESS));

            Instant lastStart = Instant.MIN;
            for (int i = 0; i < 50; i++) {
                Instant started = flow.startedAt("m" + i);
                lastStart = started.isAfter(lastStart) ? started : lastStart;
            }
            // a burst of 10, then one every 100 ms: the 50th starts 4 s in
            assertThat(Duration.between(begin, lastStart)).isGreaterThanOrEqualTo(Duration.ofMillis(3900));
        }
    }
}
