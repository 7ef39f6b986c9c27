package io.gobstopper.tasks.boot.support;

import java.util.List;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;

/**
 * What Spring Boot would print for a startup failure: every registered {@link FailureAnalyzer} (Boot's and the
 * starter's, from {@code spring.factories}) asked in order, the first answer wins.
 */
public final class FailureAnalyses {

    private FailureAnalyses() {}

    public static FailureAnalysis analyze(Throwable failure) {
        ArgumentResolver arguments = ArgumentResolver.of(Environment.class, new StandardEnvironment());
        List<FailureAnalyzer> analyzers = new java.util.ArrayList<>(SpringFactoriesLoader.forDefaultResourceLocation()
                .load(FailureAnalyzer.class, arguments, (type, name, ex) -> {
                    // analyzers that need other constructor arguments cannot explain configuration failures anyway
                }));
        AnnotationAwareOrderComparator.sort(analyzers);
        for (FailureAnalyzer analyzer : analyzers) {
            FailureAnalysis analysis = analyzer.analyze(failure);
            if (analysis != null) {
                return analysis;
            }
        }
        throw new AssertionError("No failure analyzer explains " + failure);
    }
}
