package io.gobstopper.tasks.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.TaskContext;
import io.gobstopper.tasks.engine.EngineFixture;
import io.gobstopper.tasks.engine.RecurringTasksBean;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A recurring task in three engines on one schema: one run per fire time, whichever instance fires first. */
class ClusterRecurringTests {

    /** {@code every_second}: fires at every whole second. */
    public static class EverySecond extends RecurringTasksBean {
        static final String NAME = "every_second";

        @BackgroundTask(name = NAME, cron = "* * * * * *")
        public void tick(TaskContext ctx) {
            record(ctx);
        }
    }

    private final SharedEngines cluster = new SharedEngines();

    @AfterEach
    void close() {
        cluster.close();
    }

    /** A stored run of the recurring task. */
    private record Fired(UUID id, Instant runAt, String status) {}

    private List<Fired> fired() {
        return new org.springframework.jdbc.core.JdbcTemplate(cluster.database.dataSource())
                .query(
                        "SELECT id, run_at, " + "status FROM " + cluster.database.schema()
                                + ".tasks WHERE name = ? ORDER BY run_at",
                        (rs, n) -> new Fired(
                                rs.getObject(1, UUID.class),
                                rs.getObject(2, OffsetDateTime.class).toInstant(),
                                rs.getString(3)),
                        EverySecond.NAME);
    }

    @Test
    void threeInstancesRunAnEverySecondTaskOncePerFireTime() {
        List<EverySecond> beans = List.of(new EverySecond(), new EverySecond(), new EverySecond());
        List<SharedEngines.Node> nodes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            nodes.add(cluster.start("n" + i, Duration.ofSeconds(30), EngineFixture.SETTINGS, beans.get(i)));
        }
        // about 4 s: five fire times stored
        Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> fired().size() >= 5);
        nodes.forEach(node -> node.engine().close()); // graceful: runs begun end first

        List<Fired> fired = fired();
        Set<Instant> fireTimes = fired.stream().map(Fired::runAt).collect(Collectors.toSet());
        assertThat(fireTimes).as("distinct fire times").hasSize(fired.size());
        assertThat(fired.size()).isGreaterThanOrEqualTo(5);
        for (int i = 0; i < fired.size(); i++) {
            Instant runAt = fired.get(i).runAt();
            assertThat(runAt.getNano())
                    .as("fire time %s is a whole second", runAt)
                    .isZero();
            if (i > 0) {
                assertThat(Duration.between(fired.get(i - 1).runAt(), runAt))
                        .as("no fire time skipped")
                        .isEqualTo(Duration.ofSeconds(1));
            }
        }

        Map<UUID, Fired> byId = fired.stream().collect(Collectors.toMap(Fired::id, Function.identity()));
        List<RecurringTasksBean.Run> runs =
                beans.stream().flatMap(bean -> bean.runs().stream()).toList();
        assertThat(runs)
                .extracting(RecurringTasksBean.Run::taskId)
                .as("runs, each of a stored fire time")
                .doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(byId).containsKey(id));
        Set<UUID> ran =
                new HashSet<>(runs.stream().map(RecurringTasksBean.Run::taskId).toList());
        for (Fired task : fired) {
            // closing the engines may leave the newest fire time unclaimed; every other one ran, once
            if (task.status().equals("SUCCESS")) {
                assertThat(ran).as("run of fire time %s", task.runAt()).contains(task.id());
            } else {
                assertThat(task.status()).isEqualTo("PENDING");
                assertThat(ran).doesNotContain(task.id());
            }
        }
        assertThat(fired.subList(0, fired.size() - 1))
                .extracting(Fired::status)
                .as("all but the newest fire time ran")
                .containsOnly("SUCCESS");
    }

    @Test
    void aScheduleThatOneInstancePausedFiresOnNoneUntilAnyInstanceResumesIt() {
        SharedEngines.Node n0 = cluster.start("n0", Duration.ofSeconds(30), EngineFixture.SETTINGS, new EverySecond());
        SharedEngines.Node n1 = cluster.start("n1", Duration.ofSeconds(30), EngineFixture.SETTINGS, new EverySecond());
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> fired().size() >= 1);

        assertThat(n0.engine().pauseSchedule(EverySecond.NAME).paused()).isTrue();
        Instant paused = Instant.now(); // a fire time after this one comes after the pause was stored
        SharedEngines.Node n2 = cluster.start("n2", Duration.ofSeconds(30), EngineFixture.SETTINGS, new EverySecond());
        Awaitility.await("no fire time after the pause runs, on any instance")
                .during(Duration.ofMillis(2500))
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> fired().stream().noneMatch(task -> task.runAt().isAfter(paused)));
        assertThat(n1.engine().schedules()).singleElement().satisfies(schedule -> {
            assertThat(schedule.paused()).as("paused, as n1 shows it").isTrue();
            assertThat(schedule.nextRunAt()).isNull();
        });
        assertThat(n2.engine().schedules().get(0).paused())
                .as("paused, as n2 (started since) shows it")
                .isTrue();

        // resumed on n1; n0, which paused it, fires it again on its own
        n1.engine().resumeSchedule(EverySecond.NAME);
        assertThat(n0.engine().schedules().get(0).paused())
                .as("paused, as n0 shows it after the resume")
                .isFalse();
        n1.engine().close();
        n2.engine().close();
        Instant alone = Instant.now();
        Awaitility.await("n0 alone fires the resumed schedule")
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> fired().stream().anyMatch(task -> task.runAt().isAfter(alone)));

        // paused and resumed on n0; n3, which started while it was paused, fires it on its own
        n0.engine().pauseSchedule(EverySecond.NAME);
        SharedEngines.Node n3 = cluster.start("n3", Duration.ofSeconds(30), EngineFixture.SETTINGS, new EverySecond());
        n0.engine().resumeSchedule(EverySecond.NAME);
        n0.engine().close();
        Instant last = Instant.now();
        Awaitility.await("n3, started during a pause, fires the resumed schedule")
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> fired().stream().anyMatch(task -> task.runAt().isAfter(last)));
        assertThat(n3.engine().schedules().get(0).paused()).isFalse();

        List<Fired> fired = fired();
        assertThat(fired.stream().map(Fired::runAt).distinct().count())
                .as("one run per fire time")
                .isEqualTo(fired.size());
    }
}
