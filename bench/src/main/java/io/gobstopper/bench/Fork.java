package io.gobstopper.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs one scenario in a fresh JVM on the benchmark's classpath and collects its {@link Report} lines. */
final class Fork {

    private Fork() {}

    /**
     * @param mainClass the scenario class
     * @param timeout the most the JVM may take; it is killed after that and the result says so
     * @param args the scenario name and its key=value pairs
     * @return the reported figures by name; {@code error} holds what went wrong, if anything did
     */
    static Map<String, String> run(String mainClass, Duration timeout, String... args) {
        return run(System.getProperty("java.class.path"), mainClass, timeout, args);
    }

    /**
     * As {@link #run(String, Duration, String...)}, on another classpath: the same scenario built from other code, such
     * as an earlier commit's, to compare with in the same run.
     */
    static Map<String, String> run(String classpath, String mainClass, Duration timeout, String... args) {
        return run(classpath, "2g", mainClass, timeout, args);
    }

    /** As {@link #run(String, String, Duration, String...)}, in a JVM with this most heap ({@code -Xmx}), e.g. 256m. */
    static Map<String, String> run(
            String classpath, String maxHeap, String mainClass, Duration timeout, String... args) {
        Path scratch;
        try {
            scratch = Files.createTempDirectory("gobstopper-bench-fork");
        } catch (IOException ex) {
            return Map.of("error", "no scratch folder: " + ex);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + maxHeap);
        command.add("-XX:+ExitOnOutOfMemoryError"); // an exit code, not a JVM that hangs on with dead threads
        // the scenario's stores and DuckDB's unpacked native library go here, and go away with it
        command.add("-Djava.io.tmpdir=" + scratch);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(List.of(args));
        Map<String, String> results = new LinkedHashMap<>();
        System.err.printf(
                "%n--- %s %s (-Xmx%s)%n",
                mainClass.substring(mainClass.lastIndexOf('.') + 1), String.join(" ", args), maxHeap);
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            Thread reader = new Thread(() -> read(process, results));
            reader.start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                results.putIfAbsent("error", "killed after " + timeout.toSeconds() + " s");
            } else if (process.exitValue() != 0) {
                results.putIfAbsent("error", "exit code " + process.exitValue());
            }
            reader.join(TimeUnit.SECONDS.toMillis(5));
        } catch (IOException ex) {
            results.put("error", ex.toString());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            results.put("error", "interrupted");
        } finally {
            delete(scratch);
        }
        return results;
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException ex) {
            System.err.println("could not delete " + dir + ": " + ex);
        }
    }

    private static void read(Process process, Map<String, String> results) {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith(Report.PREFIX)) {
                    String rest = line.substring(Report.PREFIX.length());
                    int space = rest.indexOf(' ');
                    synchronized (results) {
                        results.put(rest.substring(0, space), rest.substring(space + 1));
                    }
                }
                System.err.println("    " + line);
            }
        } catch (IOException ex) {
            // the process went away; what was read stays
        }
    }
}
