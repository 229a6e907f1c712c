package dev.flywheel.schedule.trigger;

import dev.flywheel.sdk.DurationText;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.LaunchReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Fires when a deployed model's live inputs drifted: in its requests logged over the last {@code window}, at least
 * {@code share} of the compared columns drifted from its training data (Evidently's dataset-drift rule, 0.5 by
 * default), with at least {@code minRows} rows logged. It reads the model every {@code checkEvery} and, after firing,
 * stays quiet for {@code cooldown} so one drift does not start a retraining per poll.
 */
public final class DriftTrigger {
    private static final Logger log = LoggerFactory.getLogger(DriftTrigger.class);

    private final Config config;

    /**
     * @param model      the registered model whose prediction logs are read
     * @param window     how far back the logged requests are compared
     * @param share      fire when at least this share of the columns drifted, {@code 0 < share <= 1}
     * @param minRows    fewer logged rows than this are not judged
     * @param cooldown   no second fire within this time of the last
     * @param checkEvery how often the logs are read
     */
    public record Config(String model, Duration window, double share, long minRows, Duration cooldown, Duration checkEvery) {
        public Config {
            WatchChecks.model(model, "Drift");
            WatchChecks.positive(window, "--window");
            if (!(share > 0 && share <= 1)) {
                throw FlywheelException.invalid("Drift trigger on " + model + ": --share must be above 0 and at most 1 (the share of"
                        + " columns that must drift), got " + share);
            }
            if (minRows < 1) {
                throw FlywheelException.invalid("Drift trigger on " + model + ": --min-rows must be at least 1, got " + minRows);
            }
            WatchChecks.notNegative(cooldown, "--cooldown");
            WatchChecks.positive(checkEvery, "--check-every");
        }
    }

    public DriftTrigger(Config config) {
        this.config = config;
    }

    /** Reads the model's drift if a check is due; fires when it drifted enough and the cooldown is over. */
    public TriggerCheck<WatchState> check(ModelWatch watch, WatchState state, Instant now) {
        Instant due = Instant.ofEpochMilli(state.checkedAtMillis()).plus(config.checkEvery());
        if (state.checkedAtMillis() > 0 && now.isBefore(due)) {
            return new TriggerCheck.Wait<>("next check at " + due, state);
        }
        long nowMs = now.toEpochMilli();
        Optional<ModelWatch.Drift> reading = watch.drift(config.model(), config.window());
        if (reading.isEmpty()) {
            return wait(new WatchState(nowMs, state.firedAtMillis(), "nothing to compare: no logged predictions of " + config.model()
                    + " in the last " + DurationText.format(config.window()) + " or no reference profile"));
        }
        ModelWatch.Drift d = reading.get();
        String seen = String.format(Locale.ROOT, "version %d: %d of %d columns drifted (%.2f, fires at %.2f) over %d rows%s", d.version(),
                d.driftedColumns(), d.columns(), d.share(), config.share(), d.rows(), d.drifted().isEmpty() ? "" : " " + d.drifted());
        if (d.rows() < config.minRows()) {
            return wait(new WatchState(nowMs, state.firedAtMillis(), seen + "; waiting for " + config.minRows() + " rows"));
        }
        if (d.columns() == 0 || d.share() < config.share()) {
            return wait(new WatchState(nowMs, state.firedAtMillis(), seen));
        }
        Instant quietUntil = Instant.ofEpochMilli(state.firedAtMillis()).plus(config.cooldown());
        if (state.firedAtMillis() > 0 && now.isBefore(quietUntil)) {
            return wait(new WatchState(nowMs, state.firedAtMillis(), seen + "; in cooldown until " + quietUntil));
        }
        log.info("drift trigger fired: model={} {}", config.model(), seen);
        return new TriggerCheck.Fire<>(new LaunchReason.ModelDrift(config.model(), d.version(), d.driftedColumns(), d.columns(),
                d.drifted().stream().sorted().toList(), d.rows(), d.from(), d.to()), new WatchState(nowMs, nowMs, seen + "; fired"));
    }

    private static TriggerCheck<WatchState> wait(WatchState next) {
        return new TriggerCheck.Wait<>(next.last(), next);
    }
}
