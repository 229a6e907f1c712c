package dev.flywheel.cli.command;

import dev.flywheel.sdk.FlywheelException;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people type them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 14d}, or ISO {@code PT1H}. */
final class Durations {
    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Durations() {
    }

    static Duration parse(String text, String option) {
        if (text == null) {
            return null;
        }
        Matcher m = SHORT.matcher(text.strip());
        if (m.matches()) {
            try {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            } catch (NumberFormatException | ArithmeticException e) {
                throw FlywheelException.invalid(option + " '" + text + "' is too large to be a duration; write for example 30s, 5m, 2h or 14d");
            }
        }
        try {
            return Duration.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw FlywheelException.invalid(option + " '" + text + "' is not a duration; write for example 30s, 5m, 2h, 14d or PT1H");
        }
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        if (d.toMillisPart() != 0 || s == 0) {
            return d.toMillis() + "ms";
        }
        if (s % 86400 == 0) {
            return s / 86400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
