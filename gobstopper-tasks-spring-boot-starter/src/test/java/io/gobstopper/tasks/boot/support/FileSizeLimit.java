package io.gobstopper.tasks.boot.support;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A full disk, for real: lowers this JVM's file size limit ({@code RLIMIT_FSIZE}, with util-linux's {@code prlimit})
 * so that every write that would make a file larger fails with "File too large" (the JVM ignores SIGXFSZ), and lifts
 * it again. Nothing else of the process changes; files may still be read and rewritten within their size.
 */
public final class FileSizeLimit implements AutoCloseable {

    private FileSizeLimit() {}

    /** From now on no file of this process may grow past {@code bytes}. */
    public static FileSizeLimit apply(long bytes) {
        prlimit(bytes + ":unlimited");
        return new FileSizeLimit();
    }

    /** Lifts the limit: files may grow again. */
    @Override
    public void close() {
        prlimit("unlimited:unlimited");
    }

    private static void prlimit(String limit) {
        String pid = Long.toString(ProcessHandle.current().pid());
        try {
            Process process = new ProcessBuilder("prlimit", "--pid", pid, "--fsize=" + limit)
                    .inheritIO()
                    .start();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("prlimit --pid " + pid + " --fsize=" + limit + " failed");
            }
        } catch (IOException ex) {
            throw new IllegalStateException(
                    "These tests simulate a full disk with util-linux's prlimit, which could not"
                            + " run (apt-get install util-linux): " + ex.getMessage(),
                    ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running prlimit", ex);
        }
    }
}
