package io.gobstopper.tasks.store.duckdb;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** Child JVM for {@link LockTests}: holds a store open on a file until its stdin closes or it is killed. */
public final class LockChild {

    private LockChild() {}

    public static void main(String[] args) throws Exception {
        DuckDbTaskStore store = new DuckDbTaskStore(Path.of(args[0]), Duration.ofMillis(50));
        store.open(Instant.now());
        System.out.println("@@ready " + ProcessHandle.current().pid());
        System.out.flush();
        while (System.in.read() != -1) {
            // hold the file until the parent goes away
        }
        store.close();
    }
}
