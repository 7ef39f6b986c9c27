package io.gobstopper.tasks.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskPriority;
import io.gobstopper.tasks.TaskStatus;
import io.gobstopper.tasks.TaskStoreUnavailableException;
import io.gobstopper.tasks.contract.TcpProxy;
import io.gobstopper.tasks.store.LiveTask;
import io.gobstopper.tasks.store.TaskChange;
import io.gobstopper.tasks.store.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The database goes away under one instance, {@code node-a}, which reaches it through a TCP proxy that drops every
 * connection and refuses new ones, while {@code node-b} still reaches it: requests to {@code node-a} are refused within
 * the pool's connection timeout and then at once; the outcome of a run that ends meanwhile is kept and written at the
 * return, unless {@code node-b} took the task over meanwhile, which the fence decides.
 */
class StoreOutageTests {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern HOST_PORT = Pattern.compile("//([^/:]+):(\\d+)/");

    private final PostgresDatabase db = PostgresDatabase.create();
    private TcpProxy proxy;
    private HikariDataSource proxied;
    private PostgresTaskStore a;
    private PostgresTaskStore b;

    private void open(Duration leaseTimeout) {
        b = new PostgresTaskStore(db.dataSource(), db.schema(), "node-b", leaseTimeout, Duration.ofMillis(100));
        b.open(Instant.now());
        Matcher target = HOST_PORT.matcher(PostgresDatabase.URL);
        assertThat(target.find()).as(PostgresDatabase.URL).isTrue();
        proxy = TcpProxy.to(target.group(1), Integer.parseInt(target.group(2)));
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(target.replaceFirst("//127.0.0.1:" + proxy.port() + "/"));
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(1000);
        config.setValidationTimeout(500);
        config.setPoolName("outage-" + db.schema());
        proxied = new HikariDataSource(config);
        a = new PostgresTaskStore(
                proxied, db.schema(), "node-a", leaseTimeout, Duration.ofMillis(100), Duration.ofSeconds(1));
        a.open(Instant.now());
    }

    @AfterEach
    void close() {
        if (proxy != null) {
            proxy.restore();
        }
        for (AutoCloseable closeable : new AutoCloseable[] {a, b, proxied, proxy}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception ex) {
                // the next one still closes
            }
        }
        db.drop();
    }

    /** A task submitted through {@code node-b}, claimed and started by {@code node-a}. */
    private LiveTask startedOnA() {
        LiveTask task = LiveTask.submitted(
                UUID.randomUUID(),
                "outage",
                "outage",
                TaskPriority.NORMAL,
                0,
                "[]",
                "{}",
                Instant.now(),
                null,
                List.of(),
                null,
                null);
        TaskStore.await(b.insert(List.of(task)));
        List<LiveTask> claimed = a.claim(Map.of("outage", 1), Instant.now());
        assertThat(claimed).extracting(LiveTask::id).containsExactly(task.id());
        assertThat(a.apply(claimed.get(0), new TaskChange.Start(Instant.now()))).isTrue();
        return claimed.get(0);
    }

    private TaskInfo stored(UUID id) {
        return b.find(id).orElseThrow();
    }

    @Test
    void requestsAreRefusedWithinThePoolTimeoutThenAtOnceAndTheOutcomeOfARunThatEndedMeanwhileIsWrittenAtTheReturn() {
        open(Duration.ofSeconds(30));
        LiveTask running = startedOnA();

        proxy.cut();

        for (int i = 0; i < 3; i++) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> a.find(UUID.randomUUID())) // not one it holds: that one it knows in memory
                    .isInstanceOf(TaskStoreUnavailableException.class)
                    .hasMessageContaining("cannot be reached");
            assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(2000);
        }
        assertThat(a.unavailable()).contains("cannot be reached");
        CompletableFuture<Boolean> outcome = a.applyAsync(running, new TaskChange.Succeed("\"done\"", Instant.now()))
                .toCompletableFuture();
        await().atMost(WAIT).until(() -> a.keptOutcomes() == 1);
        assertThat(outcome).isNotDone();

        proxy.restore();

        assertThat(outcome.join()).isTrue();
        TaskInfo done = stored(running.id());
        assertThat(done.status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(done.result()).isEqualTo("\"done\"");
        await().atMost(WAIT).until(() -> a.unavailable() == null);
        assertThat(a.find(running.id())).isPresent();
    }

    @Test
    void anOutcomeKeptThroughAnOutageLongerThanTheLeaseDoesNotWriteOverTheInstanceThatTookTheTaskOver() {
        open(Duration.ofMillis(500));
        LiveTask running = startedOnA();

        proxy.cut();
        CompletableFuture<Boolean> late = a.applyAsync(running, new TaskChange.Succeed("\"late\"", Instant.now()))
                .toCompletableFuture();
        await().atMost(WAIT).until(() -> a.keptOutcomes() == 1);
        await().atMost(WAIT).until(() -> {
            b.sweep(Instant.now()); // node-a renews no lease while away: node-b takes the task over
            return stored(running.id()).status() == TaskStatus.PENDING;
        });
        List<LiveTask> takenOver = b.claim(Map.of("outage", 1), Instant.now());
        assertThat(takenOver).extracting(LiveTask::id).containsExactly(running.id());
        assertThat(b.apply(takenOver.get(0), new TaskChange.Start(Instant.now())))
                .isTrue();

        proxy.restore();

        assertThat(late.join()).as("the late outcome is fenced off").isFalse();
        assertThat(stored(running.id()).status()).isEqualTo(TaskStatus.STARTED);
        assertThat(stored(running.id()).nodeId()).isEqualTo("node-b");
        assertThat(b.apply(takenOver.get(0), new TaskChange.Succeed("\"again\"", Instant.now())))
                .isTrue();
        assertThat(stored(running.id()).result()).isEqualTo("\"again\"");
    }
}
