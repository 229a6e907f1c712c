package dev.flywheel.schedule.time.internal;

import dev.flywheel.schedule.time.FireTimes;
import dev.flywheel.sdk.Timing;
import org.quartz.CronExpression;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TimeZone;

/**
 * Cron fire times in a zone. Quartz evaluates the expression on local wall-clock time (it runs in UTC on
 * local date-times, so Quartz's own daylight-saving handling never applies); this class maps each local time
 * to an instant: a time in a spring gap moves forward by the gap, a time in an autumn overlap takes its first
 * occurrence. See {@link Timing.Cron} for the rule as users read it.
 */
public final class CronFireTimes implements FireTimes {
    private final List<CronExpression> expressions;
    private final ZoneId zone;
    private final Instant start;
    private final Optional<Instant> end;

    private CronFireTimes(List<CronExpression> expressions, ZoneId zone, Instant start, Optional<Instant> end) {
        this.expressions = expressions;
        this.zone = zone;
        this.start = start;
        this.end = end;
    }

    /** Translates and parses {@code cron}; a bad expression fails with INVALID_ARGUMENT naming it. */
    public static CronFireTimes compile(Timing.Cron cron, Instant start, Optional<Instant> end) {
        List<CronExpression> parsed = new ArrayList<>();
        for (String quartz : QuartzCronForm.of(cron.expression())) {
            try {
                CronExpression expression = new CronExpression(quartz);
                expression.setTimeZone(TimeZone.getTimeZone(ZoneOffset.UTC));
                parsed.add(expression);
            } catch (ParseException | RuntimeException e) {
                String as = quartz.equals(cron.expression()) ? "" : " (read as Quartz '" + quartz + "')";
                throw QuartzCronForm.invalid(cron.expression(), e.getMessage() + as);
            }
        }
        return new CronFireTimes(List.copyOf(parsed), cron.zone(), Objects.requireNonNull(start), end);
    }

    @Override
    public Instant start() {
        return start;
    }

    @Override
    public Optional<Instant> end() {
        return end;
    }

    @Override
    public Optional<Instant> nextFireAfter(Instant after) {
        Instant t = after.isBefore(start) ? start.minusNanos(1) : after;
        Optional<Instant> next = Optional.empty();
        for (CronExpression expression : expressions) {
            Optional<Instant> candidate = nextFireAfter(expression, t);
            if (candidate.isPresent() && (next.isEmpty() || candidate.get().isBefore(next.get()))) {
                next = candidate;
            }
        }
        return next.filter(n -> end.isEmpty() || n.isBefore(end.get()));
    }

    private Optional<Instant> nextFireAfter(CronExpression expression, Instant t) {
        LocalDateTime local = searchFrom(t);
        while (true) {
            Date next;
            synchronized (expression) { // Quartz documents CronExpression as not thread-safe
                next = expression.getNextValidTimeAfter(Date.from(local.toInstant(ZoneOffset.UTC)));
            }
            if (next == null) {
                return Optional.empty();
            }
            local = LocalDateTime.ofInstant(next.toInstant(), ZoneOffset.UTC);
            Instant fire = ZonedDateTime.ofLocal(local, zone, null).toInstant();
            if (fire.isAfter(t)) {
                return Optional.of(fire);
            }
            if (end.isPresent() && !local.isBefore(LocalDateTime.ofInstant(end.get(), zone).plusDays(2))) {
                return Optional.empty();
            }
        }
    }

    /**
     * The local time to search from. Usually t's own wall time; but just after a spring gap, local times inside
     * the gap map to instants after t, so the search starts at the gap.
     */
    private LocalDateTime searchFrom(Instant t) {
        LocalDateTime local = LocalDateTime.ofInstant(t, zone);
        ZoneOffsetTransition previous = zone.getRules().previousTransition(t.plusNanos(1));
        if (previous != null && previous.isGap()
                && t.isBefore(previous.getInstant().plus(Duration.ofSeconds(previous.getDuration().getSeconds())))) {
            LocalDateTime gapStart = previous.getDateTimeBefore().minusSeconds(1);
            return gapStart.isBefore(local) ? gapStart : local;
        }
        return local;
    }
}
