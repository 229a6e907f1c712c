package dev.flywheel.schedule.trigger;

import dev.flywheel.sdk.FlywheelException;

import java.time.Duration;

/** The checks drift and performance trigger settings share, with messages naming the option. */
final class WatchChecks {
    private WatchChecks() {
    }

    static void model(String model, String kind) {
        if (model == null || model.isBlank()) {
            throw FlywheelException.invalid(kind + " trigger needs the model to watch (--model NAME)");
        }
    }

    static void positive(Duration d, String option) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw FlywheelException.invalid(option + " must be a positive duration such as 30s, 6h or 1d, got " + d);
        }
    }

    static void notNegative(Duration d, String option) {
        if (d == null || d.isNegative()) {
            throw FlywheelException.invalid(option + " must be a duration of 0 or more such as 0s, 6h or 1d, got " + d);
        }
    }
}
