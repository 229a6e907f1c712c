package dev.flywheel.sdk;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/** When a {@link Schedule} fires: a fixed {@link Interval} or a {@link Cron} expression in a time zone. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(value = Timing.Interval.class, name = "interval"),
        @JsonSubTypes.Type(value = Timing.Cron.class, name = "cron")})
public sealed interface Timing {

    /**
     * Fires every {@code every} of elapsed time, anchored at the schedule's start: start, start + every,
     * start + 2 * every, ... An interval is exact elapsed time, so a daily interval drifts by an hour of wall
     * clock across a daylight-saving change; use {@link Cron} for wall-clock times.
     *
     * @param every at least one second and at most {@link #MAX} (about ten years)
     */
    record Interval(Duration every) implements Timing {
        /** The longest interval: ten years of days. Rarer runs are a cron expression's job ({@code @yearly}). */
        public static final Duration MAX = Duration.ofDays(3653);

        public Interval {
            Objects.requireNonNull(every, "every");
            if (every.compareTo(Duration.ofSeconds(1)) < 0) {
                throw FlywheelException.invalid("Schedule interval " + every + " is too short: it must be at least"
                        + " 1 second (for example Duration.ofMinutes(30))");
            }
            if (every.compareTo(MAX) > 0) {
                throw FlywheelException.invalid("Schedule interval of " + every.toDays() + " days is too long: it must be at"
                        + " most " + MAX.toDays() + " days (about ten years); for rare runs use a cron expression such as"
                        + " '@yearly' or '0 3 1 1 *'");
            }
        }
    }

    /**
     * Fires at the local wall-clock times in {@code zone} that {@code expression} matches.
     *
     * <p>The expression is either standard Unix cron with 5 fields ({@code minute hour day-of-month month
     * day-of-week}, Sunday = 0 or 7, for example {@code 0 3 * * MON}), a Quartz expression with 6 or 7 fields
     * (seconds first, optional year last, Sunday = 1, for example {@code 0 0 3 ? * MON}), or one of the macros
     * {@code @yearly @annually @monthly @weekly @daily @midnight @hourly}. In Unix form, when both day fields are
     * restricted, a day matching either one fires, as in Unix cron.
     *
     * <p>Daylight-saving changes: a local time that does not exist (the hour skipped in spring) fires as soon as
     * that time exists again, shifted by the length of the gap (02:30 becomes 03:30); a local time that occurs
     * twice (the hour repeated in autumn) fires once, at its first occurrence. So a daily job runs exactly once
     * on every local day.
     *
     * <p>This constructor checks the expression's shape (field count, macros); the field values are checked when
     * the schedule is registered with a scheduler, before anything is stored, and a bad one fails there with
     * {@link ErrorCode#INVALID_ARGUMENT} naming the expression and the field.
     *
     * @param expression the cron expression as the user wrote it (kept verbatim for display)
     * @param zone       the time zone whose wall clock the expression is read in
     */
    record Cron(String expression, ZoneId zone) implements Timing {
        private static final Set<String> MACROS =
                Set.of("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly");

        public Cron {
            if (zone == null) {
                throw FlywheelException.invalid("Cron expression '" + expression + "' needs a time zone, for"
                        + " example ZoneId.of(\"UTC\") or ZoneId.of(\"Europe/Berlin\")");
            }
            if (expression == null || expression.isBlank()) {
                throw FlywheelException.invalid("Cron expression is empty; write 5 fields (minute hour day-of-month"
                        + " month day-of-week, for example '0 3 * * MON') or a Quartz expression with seconds");
            }
            expression = expression.strip();
            if (expression.startsWith("@")) {
                if (!MACROS.contains(expression.toLowerCase(Locale.ROOT))) {
                    throw FlywheelException.invalid("Cron expression '" + expression + "' is not a known macro; use"
                            + " one of " + String.join(", ", MACROS.stream().sorted().toList()));
                }
            } else {
                int fields = expression.split("\\s+").length;
                if (fields < 5 || fields > 7) {
                    throw FlywheelException.invalid("Cron expression '" + expression + "' has " + fields
                            + " fields; write 5 (Unix: minute hour day-of-month month day-of-week) or 6-7"
                            + " (Quartz: second minute hour day-of-month month day-of-week [year])");
                }
            }
        }

        /** The number of whitespace-separated fields, or 0 for a macro such as {@code @daily}. */
        public int fieldCount() {
            return expression.startsWith("@") ? 0 : expression.split("\\s+").length;
        }
    }
}
