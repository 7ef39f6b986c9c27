package io.gobstopper.tasks.boot.support;

import java.util.Set;
import java.util.stream.Collectors;

/** The threads the task system starts are all named {@code gobstopper-*}. */
public final class Threads {

    private Threads() {}

    /** The live threads named {@code gobstopper-*}. */
    public static Set<Thread> gobstopperThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(thread -> thread.getName().startsWith("gobstopper-"))
                .collect(Collectors.toSet());
    }

    /** The names of the live {@code gobstopper-*} threads not in {@code before}. */
    public static Set<String> gobstopperThreadsStartedSince(Set<Thread> before) {
        return gobstopperThreads().stream()
                .filter(thread -> !before.contains(thread))
                .map(Thread::getName)
                .collect(Collectors.toSet());
    }
}
