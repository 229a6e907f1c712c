package dev.flywheel.schedule.trigger;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What drift and performance triggers read about a deployed model: the drift of its logged requests against its
 * training data and its live metrics once ground truth arrived. The schedule module does not read prediction logs;
 * the runtime supplies this port (from its monitoring facade), {@link #NONE} when there is none.
 */
public interface ModelWatch {
    /** No monitoring: models are not checked at creation, and every reading is UNAVAILABLE. */
    ModelWatch NONE = new ModelWatch() {
        @Override
        public void known(String model) {
        }

        @Override
        public Optional<Drift> drift(String model, Duration window) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "this scheduler was started without model monitoring");
        }

        @Override
        public Optional<Performance> performance(String model, Duration window) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "this scheduler was started without model monitoring");
        }
    };

    /**
     * Checks the model exists.
     *
     * @throws FlywheelException NOT_FOUND naming the model
     */
    void known(String model);

    /**
     * Drift of the newest version logged in the last {@code window}; empty when nothing was logged or the version has
     * no reference profile (nothing to compare yet).
     *
     * @throws FlywheelException UNAVAILABLE when the logs cannot be read
     */
    Optional<Drift> drift(String model, Duration window);

    /**
     * Live metrics of the labelled predictions of the last {@code window}, as one window; empty when none are labelled.
     *
     * @throws FlywheelException UNAVAILABLE when the logs cannot be read
     */
    Optional<Performance> performance(String model, Duration window);

    /**
     * @param version        the version compared (the newest logged in the window)
     * @param rows           its logged input rows in the window
     * @param columns        columns compared
     * @param driftedColumns of them, those that drifted
     * @param drifted        their names
     */
    record Drift(int version, long rows, int columns, int driftedColumns, List<String> drifted, Instant from, Instant to) {
        public Drift {
            drifted = List.copyOf(drifted);
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }

        /** Share of the compared columns that drifted (0 when none were compared). */
        public double share() {
            return columns == 0 ? 0 : (double) driftedColumns / columns;
        }
    }

    /**
     * @param version      the version whose predictions were labelled (the newest logged)
     * @param labelledRows predictions with ground truth in the window
     * @param metrics      live metrics by name (rmse, mae, mape; accuracy, precision, recall, f1, roc_auc for 0/1 labels)
     */
    record Performance(int version, long labelledRows, Map<String, Double> metrics, Instant from, Instant to) {
        public Performance {
            metrics = Map.copyOf(metrics);
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }
}
