package dev.flywheel.sdk;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people type them, the one grammar of the CLI's options and of component settings: {@code 250ms},
 * {@code 30s}, {@code 5m}, {@code 2h}, {@code 14d}, or ISO-8601 ({@code PT1H30M}).
 */
public final class DurationText {
    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private DurationText() {
    }

    /**
     * @throws TooLarge                when the short form's number does not fit a duration
     * @throws IllegalArgumentException when {@code text} is neither form
     */
    public static Duration parse(String text) {
        String v = text.strip();
        Matcher m = SHORT.matcher(v);
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
                throw new TooLarge(text);
            }
        }
        try {
            return Duration.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; write for example 30s, 5m, 2h, 14d or PT1H");
        }
    }

    /** A duration in the short form whose number does not fit a {@link Duration}. */
    public static final class TooLarge extends IllegalArgumentException {
        TooLarge(String text) {
            super("'" + text + "' is too large to be a duration; write for example 30s, 5m, 2h or 14d");
        }
    }

    /** The shortest exact short form: {@code 14d}, {@code 90s}, {@code 250ms}. */
    public static String format(Duration d) {
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
