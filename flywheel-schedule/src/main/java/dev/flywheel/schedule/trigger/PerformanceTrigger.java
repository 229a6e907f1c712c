package dev.flywheel.schedule.trigger;

import dev.flywheel.sdk.DurationText;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.LaunchReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Fires when a deployed model's live metric crosses a threshold once ground truth arrived: over the labelled
 * predictions of the last {@code window} (at least {@code minLabels} of them), {@code metric} is above {@code above}
 * (an error such as rmse) or below {@code below} (a score such as accuracy). Read every {@code checkEvery}; quiet for
 * {@code cooldown} after a fire.
 */
public final class PerformanceTrigger {
    /** The metrics live performance computes (see the runtime's monitoring facade). */
    public static final List<String> METRICS = List.of("rmse", "mae", "mape", "accuracy", "precision", "recall", "f1", "roc_auc");
    private static final Logger log = LoggerFactory.getLogger(PerformanceTrigger.class);

    private final Config config;

    /**
     * @param model      the registered model
     * @param metric     one of {@link #METRICS}
     * @param above      fire when the metric is above this (null: use {@code below})
     * @param below      fire when the metric is below this (null: use {@code above})
     * @param window     how far back labelled predictions are taken
     * @param minLabels  fewer labelled predictions than this are not judged
     * @param cooldown   no second fire within this time of the last
     * @param checkEvery how often the logs and labels are read
     */
    public record Config(String model, String metric, Double above, Double below, Duration window, long minLabels, Duration cooldown,
                         Duration checkEvery) {
        public Config {
            WatchChecks.model(model, "Performance");
            if (metric == null || !METRICS.contains(metric)) {
                throw FlywheelException.invalid("Performance trigger on " + model + ": --metric must be one of " + METRICS + ", got '" + metric + "'");
            }
            if ((above == null) == (below == null)) {
                throw FlywheelException.invalid("Performance trigger on " + model + ": give exactly one of --above (for errors such as rmse)"
                        + " or --below (for scores such as accuracy)");
            }
            double threshold = above != null ? above : below;
            if (!Double.isFinite(threshold)) {
                throw FlywheelException.invalid("Performance trigger on " + model + ": the threshold must be a finite number, got " + threshold);
            }
            WatchChecks.positive(window, "--window");
            if (minLabels < 1) {
                throw FlywheelException.invalid("Performance trigger on " + model + ": --min-labels must be at least 1, got " + minLabels);
            }
            WatchChecks.notNegative(cooldown, "--cooldown");
            WatchChecks.positive(checkEvery, "--check-every");
        }

        /** "above" or "below". */
        public String direction() {
            return above != null ? "above" : "below";
        }

        public double threshold() {
            return above != null ? above : below;
        }
    }

    public PerformanceTrigger(Config config) {
        this.config = config;
    }

    /** Reads the model's live metric if a check is due; fires when it crossed the threshold and the cooldown is over. */
    public TriggerCheck<WatchState> check(ModelWatch watch, WatchState state, Instant now) {
        Instant due = Instant.ofEpochMilli(state.checkedAtMillis()).plus(config.checkEvery());
        if (state.checkedAtMillis() > 0 && now.isBefore(due)) {
            return new TriggerCheck.Wait<>("next check at " + due, state);
        }
        long nowMs = now.toEpochMilli();
        Optional<ModelWatch.Performance> reading = watch.performance(config.model(), config.window());
        Double value = reading.map(p -> p.metrics().get(config.metric())).orElse(null);
        if (reading.isEmpty() || value == null) {
            return wait(new WatchState(nowMs, state.firedAtMillis(), "no " + config.metric() + " of " + config.model() + " in the last "
                    + DurationText.format(config.window()) + ": no labelled predictions" + (reading.isPresent() ? " it applies to" : "")));
        }
        ModelWatch.Performance p = reading.get();
        String seen = String.format(Locale.ROOT, "version %d: %s %.6g on %d labelled predictions (fires %s %.6g)", p.version(), config.metric(),
                value, p.labelledRows(), config.direction(), config.threshold());
        if (p.labelledRows() < config.minLabels()) {
            return wait(new WatchState(nowMs, state.firedAtMillis(), seen + "; waiting for " + config.minLabels() + " labels"));
        }
        boolean crossed = config.above() != null ? value > config.above() : value < config.below();
        if (!crossed) {
            return wait(new WatchState(nowMs, state.firedAtMillis(), seen));
        }
        Instant quietUntil = Instant.ofEpochMilli(state.firedAtMillis()).plus(config.cooldown());
        if (state.firedAtMillis() > 0 && now.isBefore(quietUntil)) {
            return wait(new WatchState(nowMs, state.firedAtMillis(), seen + "; in cooldown until " + quietUntil));
        }
        log.info("performance trigger fired: model={} {}", config.model(), seen);
        return new TriggerCheck.Fire<>(new LaunchReason.PerformanceDrop(config.model(), p.version(), config.metric(), value, config.direction(),
                config.threshold(), p.labelledRows(), p.from(), p.to()), new WatchState(nowMs, nowMs, seen + "; fired"));
    }

    private static TriggerCheck<WatchState> wait(WatchState next) {
        return new TriggerCheck.Wait<>(next.last(), next);
    }
}
