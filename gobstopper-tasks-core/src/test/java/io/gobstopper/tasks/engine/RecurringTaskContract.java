package io.gobstopper.tasks.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gobstopper.tasks.InvalidTaskDefinitionException;
import io.gobstopper.tasks.ScheduleInfo;
import io.gobstopper.tasks.TaskFilter;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.UnknownScheduleException;
import io.gobstopper.tasks.engine.RecurringTasksBean.EveryTwoSeconds;
import io.gobstopper.tasks.engine.TaskEngineSettings.ScheduleOverride;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Recurring tasks: {@code @BackgroundTask(cron = ...)} fires on its schedule, once per fire time across restarts
 * (even when a clock runs behind), runs a fire time missed while down once at startup, can be paused (across
 * restarts), resumed and triggered, and can be overridden or switched off by settings.
 */
public interface RecurringTaskContract extends EngineContract {

    static final String EVERY_TWO = EveryTwoSeconds.NAME;

    @Test
    default void aTaskEveryTwoSecondsFiresThreeTimesOrSoInSevenSecondsAndIsListedWithItsSchedule() {
        EveryTwoSeconds bean = new EveryTwoSeconds();
        Instant windowStart = Instant.now();
        Instant windowEnd = windowStart.plusSeconds(7);
        try (EngineFixture fixture = EngineFixture.start(storage(), EngineFixture.SETTINGS, bean)) {
            TaskEngine engine = fixture.engine();

            Duration left = Duration.between(Instant.now(), windowEnd);
            Awaitility.await()
                    .atMost(left.plusSeconds(2))
                    .pollInterval(Duration.ofMillis(20))
                    .during(left)
                    .until(() -> startedBefore(bean, windowEnd) <= 4);
            assertThat(startedBefore(bean, windowEnd))
                    .as("runs started in the 7 s window")
                    .isBetween(2L, 4L);

            EngineFixture.await()
                    .until(() ->
                            stored(engine, EVERY_TWO).stream().allMatch(task -> task.status() == TaskStatus.SUCCESS));
            List<TaskInfo> runs = stored(engine, EVERY_TWO);
            assertThat(runs)
                    .extracting(TaskInfo::id)
                    .containsExactlyInAnyOrderElementsOf(bean.runs().stream()
                            .map(RecurringTasksBean.Run::taskId)
                            .toList());
            assertThat(runs)
                    .extracting(TaskInfo::runAt)
                    .doesNotHaveDuplicates()
                    .allMatch(RecurringTaskContract::isEven);
            for (RecurringTasksBean.Run run : bean.runs()) {
                Instant fireTime = engine.get(run.taskId()).orElseThrow().runAt();
                assertThat(run.startedAt())
                        .as("run of %s", fireTime)
                        .isAfterOrEqualTo(fireTime)
                        .isBefore(fireTime.plusSeconds(1));
            }

            // right after a run the next fire time is two seconds off
            int seen = bean.runs().size();
            EngineFixture.await().until(() -> bean.runs().size() > seen);
            RecurringTasksBean.Run latest = bean.runs().get(bean.runs().size() - 1);
            Instant latestFire = engine.get(latest.taskId()).orElseThrow().runAt();
            Instant read = Instant.now();
            assertThat(engine.schedules()).singleElement().satisfies(info -> {
                assertThat(info.name()).isEqualTo(EVERY_TWO);
                assertThat(info.cron()).isEqualTo("*/2 * * * * *");
                assertThat(info.zone()).isEqualTo("UTC");
                assertThat(info.paused()).isFalse();
                assertThat(info.lastRunAt()).isEqualTo(latestFire);
                assertThat(info.nextRunAt())
                        .isEqualTo(latestFire.plusSeconds(2))
                        .isAfter(read);
            });
        }
    }

    @Test
    default void aFireTimeNeverRunsTwiceAcrossRestartsEvenWhenTheNewClockRunsBehind() {
        EveryTwoSeconds bean = new EveryTwoSeconds();
        try (EngineFixture fixture = EngineFixture.start(storage(), EngineFixture.SETTINGS, bean)) {
            EngineFixture.await().until(() -> !bean.runs().isEmpty());

            fixture.restart(EngineFixture.SETTINGS);
            int afterRestart = bean.runs().size();
            EngineFixture.await().until(() -> bean.runs().size() > afterRestart);

            // an engine whose clock is 2 s behind reaches fire times that already had their run first
            Instant lastFire = latestFireTime(fixture.engine());
            fixture.restart(
                    EngineFixture.SETTINGS, InstantSource.offset(InstantSource.system(), Duration.ofSeconds(-2)));
            TaskEngine engine = fixture.engine();
            EngineFixture.await().until(() -> latestFireTime(engine).isAfter(lastFire));
            EngineFixture.await()
                    .until(() ->
                            stored(engine, EVERY_TWO).stream().allMatch(task -> task.status() == TaskStatus.SUCCESS));

            List<TaskInfo> runs = stored(engine, EVERY_TWO);
            assertThat(runs).hasSizeGreaterThanOrEqualTo(3);
            assertThat(runs)
                    .extracting(TaskInfo::runAt)
                    .as("fire times")
                    .doesNotHaveDuplicates()
                    .allMatch(RecurringTaskContract::isEven, "an even second");
            assertThat(bean.runs())
                    .extracting(RecurringTasksBean.Run::taskId)
                    .doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(
                            runs.stream().map(TaskInfo::id).toList());
        }
    }

    @Test
    default void fireTimesMissedWhileDownRunOnceAtStartupForTheLatestOfThem() throws Exception {
        EveryTwoSeconds bean = new EveryTwoSeconds();
        // a first start creates the database; the schedule is off so that it stores no run
        EngineFixture fixture = EngineFixture.start(
                storage(), EngineFixture.SETTINGS.withSchedule(EVERY_TWO, new ScheduleOverride("-", null)), bean);
        try {
            fixture.engine().close();
            // a month back: over a million fire times were missed
            Instant hourAgo = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(30));
            hourAgo = hourAgo.minusSeconds(hourAgo.getEpochSecond() % 2);
            Instant lastFire = hourAgo;
            fixture.inspect(store -> {
                store.resumeSchedule(EVERY_TWO, lastFire); // unpaused, with this as its latest fire time
                return null;
            });

            Instant before = Instant.now();
            TaskEngine engine = fixture.restart(EngineFixture.SETTINGS);
            Instant afterStart = Instant.now();

            List<TaskInfo> atStartup = stored(engine, EVERY_TWO);
            assertThat(atStartup)
                    .as("runs stored by the startup, not one per missed fire time")
                    .hasSizeBetween(1, 2);
            TaskInfo missed = atStartup.stream()
                    .min(Comparator.comparing(TaskInfo::runAt))
                    .orElseThrow();
            assertThat(missed.runAt())
                    .as("the latest missed fire time")
                    .matches(RecurringTaskContract::isEven)
                    .isAfter(before.minusSeconds(2))
                    .isBeforeOrEqualTo(afterStart);
            EngineFixture.await()
                    .atMost(Duration.ofSeconds(1))
                    .until(() -> !bean.runs().isEmpty());
            assertThat(bean.runs().get(0).taskId()).isEqualTo(missed.id());

            EngineFixture.await().until(() -> stored(engine, EVERY_TWO).size() >= 2);
            List<Instant> fireTimes = stored(engine, EVERY_TWO).stream()
                    .map(TaskInfo::runAt)
                    .sorted()
                    .toList();
            assertThat(fireTimes.get(0)).isEqualTo(missed.runAt());
            assertThat(fireTimes.get(1))
                    .as("then the schedule goes on from the next fire time")
                    .isEqualTo(missed.runAt().plusSeconds(2));
        } finally {
            fixture.close();
        }
    }

    @Test
    default void fireTimesMissedWhilePausedDoNotRunAfterAResumeAndARestart() {
        EveryTwoSeconds bean = new EveryTwoSeconds();
        try (EngineFixture fixture = EngineFixture.start(storage(), EngineFixture.SETTINGS, bean)) {
            EngineFixture.await()
                    .until(() -> !stored(fixture.engine(), EVERY_TWO).isEmpty());
            Instant pausedAt = Instant.now();
            fixture.engine().pauseSchedule(EVERY_TWO);
            EngineFixture.await()
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> Instant.now().isAfter(pausedAt.plusMillis(2500))); // a fire time passes while paused

            Instant resumedAt = Instant.now();
            fixture.engine().resumeSchedule(EVERY_TWO);
            fixture.restart(EngineFixture.SETTINGS);

            EngineFixture.await()
                    .until(() -> stored(fixture.engine(), EVERY_TWO).stream()
                            .anyMatch(task -> task.runAt().isAfter(resumedAt)));
            assertThat(stored(fixture.engine(), EVERY_TWO))
                    .extracting(TaskInfo::runAt)
                    .noneMatch(fireTime -> fireTime.isAfter(pausedAt) && !fireTime.isAfter(resumedAt));
        }
    }

    @Test
    default void aPausedScheduleStaysPausedAcrossARestartUntilResumedAndCanBeTriggeredMeanwhile() {
        EveryTwoSeconds bean = new EveryTwoSeconds();
        try (EngineFixture fixture = EngineFixture.start(storage(), EngineFixture.SETTINGS, bean)) {
            ScheduleInfo pausedInfo = fixture.engine().pauseSchedule(EVERY_TWO);
            assertThat(pausedInfo.paused()).isTrue();
            assertThat(pausedInfo.nextRunAt()).isNull();
            assertPaused(fixture.engine());
            long runsAtPause = stored(fixture.engine(), EVERY_TWO).size();

            EngineFixture.await()
                    .during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> stored(fixture.engine(), EVERY_TWO).size() == runsAtPause);

            fixture.restart(EngineFixture.SETTINGS);
            assertPaused(fixture.engine());
            EngineFixture.await()
                    .during(Duration.ofMillis(2500))
                    .atMost(Duration.ofSeconds(4))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> stored(fixture.engine(), EVERY_TWO).size() == runsAtPause);

            // triggered while paused: runs at once, outside the schedule
            UUID triggered = fixture.engine().triggerSchedule(EVERY_TWO);
            fixture.awaitStatus(triggered, TaskStatus.SUCCESS);
            assertThat(bean.runs()).extracting(RecurringTasksBean.Run::taskId).contains(triggered);
            assertPaused(fixture.engine());

            Instant resumedAt = Instant.now();
            ScheduleInfo resumed = fixture.engine().resumeSchedule(EVERY_TWO);
            assertThat(resumed.paused()).isFalse();
            assertThat(resumed.nextRunAt()).isAfter(resumedAt).isBeforeOrEqualTo(resumedAt.plusSeconds(2));
            EngineFixture.await()
                    .atMost(Duration.ofSeconds(4))
                    .until(() -> stored(fixture.engine(), EVERY_TWO).size() > runsAtPause + 1);
            List<TaskInfo> firedSinceResume = stored(fixture.engine(), EVERY_TWO).stream()
                    .filter(task ->
                            !task.id().equals(triggered) && !task.createdAt().isBefore(resumedAt))
                    .toList();
            assertThat(firedSinceResume)
                    .as("fire times missed while paused do not run")
                    .isNotEmpty()
                    .allSatisfy(task -> assertThat(task.runAt()).isAfter(resumedAt));
            assertThat(fixture.engine().schedules())
                    .singleElement()
                    .satisfies(info -> assertThat(info.paused()).isFalse());

            assertThatThrownBy(() -> fixture.engine().pauseSchedule("nope"))
                    .isInstanceOf(UnknownScheduleException.class)
                    .hasMessageContaining("'nope'")
                    .hasMessageContaining("Recurring tasks: " + EVERY_TWO);
            assertThatThrownBy(() -> fixture.engine().triggerSchedule("record"))
                    .as("a task without a schedule")
                    .isInstanceOf(UnknownScheduleException.class);
            assertThatThrownBy(() -> fixture.engine().resumeSchedule("nope"))
                    .isInstanceOf(UnknownScheduleException.class);
        }
    }

    @Test
    default void aScheduleSwitchedOffBySettingsIsNotListedAndNeverFires() {
        RecurringTasksBean.Overridable bean = new RecurringTasksBean.Overridable();
        TaskEngineSettings settings =
                EngineFixture.SETTINGS.withSchedule("switched_off", new ScheduleOverride("-", null));
        try (EngineFixture fixture = EngineFixture.start(storage(), settings, bean)) {
            assertThat(fixture.engine().schedules())
                    .extracting(ScheduleInfo::name)
                    .containsExactly("yearly");

            EngineFixture.await()
                    .during(Duration.ofMillis(2500))
                    .atMost(Duration.ofSeconds(4))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> bean.runs().isEmpty()
                            && stored(fixture.engine(), "switched_off").isEmpty());
            assertThatThrownBy(() -> fixture.engine().triggerSchedule("switched_off"))
                    .isInstanceOf(UnknownScheduleException.class);

            // still a task: it can be submitted by hand
            fixture.awaitStatus(fixture.engine().submit("switched_off"), TaskStatus.SUCCESS);
        }
    }

    @Test
    default void settingsGiveATaskAnotherScheduleOrOneOfItsOwn() {
        RecurringTasksBean.Overridable bean = new RecurringTasksBean.Overridable();
        TaskEngineSettings settings = EngineFixture.SETTINGS
                .withSchedule("switched_off", new ScheduleOverride("-", null))
                .withSchedule("yearly", new ScheduleOverride("* * * * * *", "Europe/Paris"))
                .withSchedule("plain", new ScheduleOverride("* * * * * *", null));
        try (EngineFixture fixture = EngineFixture.start(storage(), settings, bean)) {
            assertThat(fixture.engine().schedules())
                    .extracting(ScheduleInfo::name, ScheduleInfo::cron, ScheduleInfo::zone)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("plain", "* * * * * *", "UTC"),
                            org.assertj.core.groups.Tuple.tuple("yearly", "* * * * * *", "Europe/Paris"));

            EngineFixture.await()
                    .atMost(Duration.ofSeconds(4))
                    .until(() -> !bean.runs("yearly").isEmpty()
                            && !bean.runs("plain").isEmpty());
            assertThat(stored(fixture.engine(), "yearly"))
                    .allSatisfy(task ->
                            assertThat(task.runAt()).isAfter(Instant.now().minusSeconds(10)));
        }
    }

    @Test
    default void aBadScheduleFailsTheStartNamingWhatIsWrong() {
        TaskEngineSettings unknown =
                EngineFixture.SETTINGS.withSchedule("no_such_task", new ScheduleOverride("0 * * * * *", null));
        assertThatThrownBy(() -> EngineFixture.start(storage(), unknown, new RecurringTasksBean.Overridable()))
                .isInstanceOf(InvalidTaskDefinitionException.class)
                .hasMessageContaining("gobstopper.tasks.schedules.no_such_task")
                .hasMessageContaining("yearly");

        TaskEngineSettings badOverride =
                EngineFixture.SETTINGS.withSchedule("yearly", new ScheduleOverride("every hour", null));
        assertThatThrownBy(() -> EngineFixture.start(storage(), badOverride, new RecurringTasksBean.Overridable()))
                .isInstanceOf(InvalidTaskDefinitionException.class)
                .hasMessageContaining("gobstopper.tasks.schedules.yearly")
                .hasMessageContaining("Write six fields");

        assertThatThrownBy(() ->
                        EngineFixture.start(storage(), EngineFixture.SETTINGS, new RecurringTasksBean.WithArgument()))
                .isInstanceOf(InvalidTaskDefinitionException.class)
                .hasMessageContaining("needs_argument")
                .hasMessageContaining("must take no arguments");

        TaskRegistry registry = new TaskRegistry(JsonMapper.builder().build());
        assertThatThrownBy(() -> registry.registerAnnotated(new RecurringTasksBean.BadCron()))
                .isInstanceOf(InvalidTaskDefinitionException.class)
                .hasMessageContaining("badCron")
                .hasMessageContaining("cron 'every five minutes' is invalid")
                .hasMessageContaining("Write six fields: second minute hour day-of-month month day-of-week");
        assertThat(registry.names()).isEmpty();
    }

    // ---- helpers ----

    private static List<TaskInfo> stored(TaskEngine engine, String name) {
        return engine.list(new TaskFilter(null, null, name, TaskFilter.MAX_LIMIT, 0))
                .tasks();
    }

    private static Instant latestFireTime(TaskEngine engine) {
        return stored(engine, EVERY_TWO).stream()
                .map(TaskInfo::runAt)
                .filter(java.util.Objects::nonNull)
                .max(Comparator.naturalOrder())
                .orElse(Instant.EPOCH);
    }

    private static long startedBefore(RecurringTasksBean bean, Instant end) {
        return bean.runs().stream().filter(run -> run.startedAt().isBefore(end)).count();
    }

    private static boolean isEven(Instant time) {
        return time.getNano() == 0 && time.getEpochSecond() % 2 == 0;
    }

    private static void assertPaused(TaskEngine engine) {
        assertThat(engine.schedules()).singleElement().satisfies(info -> {
            assertThat(info.paused()).isTrue();
            assertThat(info.nextRunAt()).isNull();
        });
    }
}
