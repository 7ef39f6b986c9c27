package io.gobstopper.bench.peers;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.gobstopper.bench.Args;
import io.gobstopper.bench.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.h2.H2StorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

/**
 * JobRunr OSS 8 with an {@link H2StorageProvider} on an H2 file in a fresh temp directory (JobRunr creates its own
 * tables), configured through {@code JobRunr.configure()}: a BackgroundJobServer with {@code workers} workers and a
 * poll interval of 5 s, the smallest JobRunr OSS accepts for an SQL store ("otherwise it will cause too much load on
 * your SQL/noSQL datastore"; the default is 15 s); no dashboard, no JMX. Jobs are enqueued one at a time through
 * {@link JobScheduler#enqueue} with a lambda calling a static method here. A task is done and durable when the store
 * counts it SUCCEEDED.
 */
public final class JobRunrScenarios {

    static final Duration POLL_INTERVAL = Duration.ofSeconds(5);

    /** Where the latency scenario's job bodies record their start; the jobs run in this JVM. */
    static final Map<Integer, Long> STARTED_AT = PeerDriver.startTimes();

    private JobRunrScenarios() {}

    /** The no-op job. */
    public static void noop() {}

    /** The job that works (sleeps) {@code millis} ms. */
    public static void work(int millis) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(millis);
    }

    /** The latency scenario's job: records when it started. */
    public static void timed(int index) {
        STARTED_AT.put(index, System.nanoTime());
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        int workers = args.integer("workers", 4);
        Path dir = Files.createTempDirectory("jobrunr-bench");
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl("jdbc:h2:file:" + dir.resolve("jobrunr"));
        pool.setMaximumPoolSize(PeerDriver.poolSize(workers, args.integer("submitters", 1)));
        HikariDataSource dataSource = new HikariDataSource(pool);
        StorageProvider storage = new H2StorageProvider(dataSource);
        JobScheduler scheduler = JobRunr.configure()
                .useJsonMapper(new JacksonJsonMapper())
                .useStorageProvider(storage)
                .useBackgroundJobServer(BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
                        .andWorkerCount(workers)
                        .andPollInterval(POLL_INTERVAL))
                .initialize()
                .getJobScheduler();
        switch (args.scenario()) {
            case "throughput" -> throughput(scheduler, storage, args, workers);
            case "latency" -> latency(scheduler, args);
            default -> throw new IllegalArgumentException("unknown scenario " + args.scenario());
        }
        JobRunr.destroy(); // stops the server while H2 is still open (H2 closes itself at exit)
        System.exit(0);
    }

    private static void throughput(JobScheduler scheduler, StorageProvider storage, Args args, int workers)
            throws Exception {
        Report.note(
                "note",
                workers + " workers, poll " + POLL_INTERVAL.toSeconds()
                        + " s (the OSS minimum for SQL stores), one enqueue(lambda) per job, no dashboard");
        int workMillis = args.integer("work_ms", 0);
        PeerDriver.Submit submit = workMillis == 0
                ? index -> scheduler.enqueue(() -> JobRunrScenarios.noop())
                : index -> scheduler.enqueue(() -> JobRunrScenarios.work(workMillis));
        PeerDriver.throughput(
                args,
                submit,
                PeerDriver.polling(submitted -> storage.countJobs(StateName.SUCCEEDED), Duration.ofMillis(50)));
    }

    private static void latency(JobScheduler scheduler, Args args) throws Exception {
        Report.note("note", "poll " + POLL_INTERVAL.toSeconds() + " s, the OSS minimum");
        PeerDriver.latency(args, index -> scheduler.enqueue(() -> JobRunrScenarios.timed(index)), STARTED_AT);
    }
}
