package io.gobstopper.tasks.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.springframework.scheduling.support.CronExpression;

/**
 * A cron expression read in a time zone, as Spring's {@code @Scheduled} reads it: six fields (second, minute, hour,
 * day of month, month, day of week), macros such as {@code @hourly}.
 *
 * @param expression the expression as written
 * @param zone the zone its fields are read in
 */
public record CronSchedule(String expression, ZoneId zone, CronExpression cron) {

    /**
     * Reads an expression.
     *
     * @param zone the zone id, or {@code null} or empty for UTC
     * @throws IllegalArgumentException saying what is wrong with the expression or the zone
     */
    public static CronSchedule parse(String expression, String zone) {
        ZoneId zoneId = zone(zone);
        try {
            return new CronSchedule(expression, zoneId, CronExpression.parse(expression));
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("cron '" + expression + "' is invalid: " + ex.getMessage()
                    + ". Write six fields: second minute hour day-of-month month day-of-week, e.g. \"0 */5 * * * *\"");
        }
    }

    /**
     * Reads a time zone id.
     *
     * @param zone the id, or {@code null} or empty for UTC
     * @throws IllegalArgumentException saying how to write one
     */
    public static ZoneId zone(String zone) {
        try {
            return zone == null || zone.isBlank() ? ZoneId.of("UTC") : ZoneId.of(zone.trim());
        } catch (RuntimeException ex) {
            throw new IllegalArgumentException(
                    "zone '" + zone + "' is not a time zone; use an id such as UTC or " + "Europe/Paris");
        }
    }

    /** The first fire time after {@code after}, or {@code null} if there is none. */
    public Instant next(Instant after) {
        ZonedDateTime next = cron.next(after.atZone(zone));
        return next == null ? null : next.toInstant();
    }

    /** The zone's id. */
    public String zoneId() {
        return zone.getId();
    }
}
