package io.gobstopper.tasks.boot.support;

import io.gobstopper.tasks.store.duckdb.DuckDbTaskStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Run in a child JVM: opens a DuckDB task store on the file given as the first argument, prints {@code ready},
 * and holds it until its standard input ends (or the process is killed).
 */
public final class HoldTaskStore {

    private HoldTaskStore() {}

    public static void main(String[] args) throws IOException {
        DuckDbTaskStore store = new DuckDbTaskStore(Path.of(args[0]), Duration.ofMillis(100));
        store.open(Instant.now());
        System.out.println("ready");
        System.out.flush();
        while (System.in.read() != -1) {
            // hold the file until the parent closes our input or kills us
        }
        store.close();
    }
}
