package dev.flywheel.server.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How pages write values: times in UTC, durations short, ids cut, statuses as CSS classes. */
public final class Show {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private Show() {
    }

    public static String time(Instant t) {
        return t == null ? "-" : TIME.format(t);
    }

    public static String iso(Instant t) {
        return t == null ? "" : t.toString();
    }

    public static String duration(Long millis) {
        if (millis == null) {
            return "-";
        }
        Duration d = Duration.ofMillis(millis);
        if (d.toMillis() < 1000) {
            return d.toMillis() + " ms";
        }
        if (d.toSeconds() < 60) {
            return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
        }
        if (d.toMinutes() < 60) {
            return d.toMinutes() + " min " + d.toSecondsPart() + " s";
        }
        return d.toHours() + " h " + d.toMinutesPart() + " min";
    }

    public static String shortId(String id) {
        return id == null ? "-" : id.length() <= 8 ? id : id.substring(0, 8);
    }

    public static String lower(Object value) {
        return value == null ? "-" : value.toString().toLowerCase(Locale.ROOT);
    }

    public static String number(Double v) {
        if (v == null) {
            return "-";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString(v.longValue());
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** A share as a percentage: 0.01 is {@code 1%}. */
    public static String percent(double share) {
        return number(share * 100) + "%";
    }

    public static String dash(Object v) {
        return v == null || v.toString().isBlank() ? "-" : v.toString();
    }

    /** The CSS class of a status badge: ok, bad, busy or idle. */
    public static String badge(Object status) {
        String s = lower(status);
        return switch (s) {
            case "succeeded", "cached", "active", "production", "running-ok", "launched", "promoted", "pass" -> "ok";
            case "failed", "error", "broken", "archived-bad", "aborted", "fail" -> "bad";
            case "running", "pending", "pending_startup", "pending_shutdown", "staging", "progressing", "inconclusive" -> "busy";
            default -> "idle";
        };
    }
}
