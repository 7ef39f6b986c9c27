package io.gobstopper.tasks.store.jdbc;

/** How a store's SQL words the few things analytics need that SQL dialects spell differently. */
public interface AnalyticsDialect {

    /** The seconds between two timestamp expressions, as a floating-point number. */
    String seconds(String later, String earlier);

    /** The continuous percentile {@code q} (0-1) of an expression over a group, interpolating linearly. */
    String percentile(String expr, double q);

    /** The start of the UTC minute of a timestamp column, as microseconds since the epoch. */
    String minuteMicros(String column);
}
