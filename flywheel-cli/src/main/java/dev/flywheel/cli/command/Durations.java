package dev.flywheel.cli.command;

import dev.flywheel.sdk.DurationText;
import dev.flywheel.sdk.FlywheelException;

import java.time.Duration;

/** Durations of command-line options ({@link DurationText}'s grammar), with errors naming the option. */
final class Durations {
    private Durations() {
    }

    static Duration parse(String text, String option) {
        if (text == null) {
            return null;
        }
        try {
            return DurationText.parse(text);
        } catch (DurationText.TooLarge e) {
            throw FlywheelException.invalid(option + " '" + text + "' is too large to be a duration; write for example 30s, 5m, 2h or 14d");
        } catch (IllegalArgumentException e) {
            throw FlywheelException.invalid(option + " '" + text + "' is not a duration; write for example 30s, 5m, 2h, 14d or PT1H");
        }
    }

    static String format(Duration d) {
        return DurationText.format(d);
    }
}
