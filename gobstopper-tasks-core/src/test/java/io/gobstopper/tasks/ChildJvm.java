package io.gobstopper.tasks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a main class from the test class path. It talks to the test through stdout lines that
 * start with {@value #PREFIX} (everything else, such as log output, is kept only for failure messages). Every
 * wait is bounded; {@link #close()} kills the child if it still runs.
 */
public final class ChildJvm implements AutoCloseable {

    /** Marks a line as a message for the parent. */
    public static final String PREFIX = "@@";

    private static final String END = "\u0000end";

    private final String name;
    private final Process process;
    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());

    private ChildJvm(String name, Process process) {
        this.name = name;
        this.process = process;
        Thread reader = new Thread(this::read, "child-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code main} with these arguments in a new JVM. */
    public static ChildJvm start(Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Djava.io.tmpdir=" + childTempDir());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new ChildJvm(main.getSimpleName(), process);
    }

    /**
     * Where children unpack DuckDB's native library (58 MB). A child killed on purpose cannot delete its copy, so the
     * copies go under target/ rather than /tmp, and those of earlier children are removed here.
     */
    private static String childTempDir() throws IOException {
        Path dir = Path.of("target", "child-jvm-tmp").toAbsolutePath();
        Files.createDirectories(dir);
        try (var old = Files.newDirectoryStream(dir, "libduckdb_java*")) {
            for (Path file : old) {
                Files.deleteIfExists(file);
            }
        }
        return dir.toString();
    }

    private void read() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                output.add(line);
                if (line.startsWith(PREFIX)) {
                    messages.add(line.substring(PREFIX.length()));
                }
            }
        } catch (IOException ex) {
            output.add("(reading the child's output failed: " + ex + ")");
        } finally {
            messages.add(END);
        }
    }

    /**
     * Waits for the child's next message, which must start with {@code word}, and returns the words after it.
     *
     * @throws AssertionError if another message comes, the child exits, or the timeout passes
     */
    public List<String> expect(String word, Duration timeout) throws InterruptedException {
        String message = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new AssertionError(name + " sent no '" + word + "' within " + timeout + "; its output:\n" + output());
        }
        if (message.equals(END)) {
            messages.add(END);
            throw new AssertionError(name + " exited before sending '" + word + "'; its output:\n" + output());
        }
        List<String> words = List.of(message.trim().split("\\s+"));
        if (!words.get(0).equals(word)) {
            throw new AssertionError(
                    name + " sent '" + message + "' where '" + word + "' was expected; its output:\n" + output());
        }
        return words.subList(1, words.size());
    }

    /** Writes a line to the child's standard input. */
    public void send(String line) throws IOException {
        var in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Whether the child still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the child at once (SIGKILL) and waits for it to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " did not die within 20 s of being killed");
        }
    }

    /** Waits for the child to exit by itself and returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " did not exit within " + timeout + "; its output:\n" + output());
        }
        return process.exitValue();
    }

    public long pid() {
        return process.pid();
    }

    /** Everything the child printed so far. */
    public String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** Kills the child if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
