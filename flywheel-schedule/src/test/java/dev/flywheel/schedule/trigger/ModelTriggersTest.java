package dev.flywheel.schedule.trigger;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.LaunchReason;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Drift and performance triggers' rules: when they read the model, when they fire, and how they stay quiet after. */
class ModelTriggersTest {
    private static final Instant T0 = Instant.parse("2026-11-29T08:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    /** A model whose readings the test sets, counting how often it is read. */
    private static final class Readings implements ModelWatch {
        Optional<Drift> drift = Optional.empty();
        Optional<Performance> performance = Optional.empty();
        final List<String> reads = new ArrayList<>();

        @Override
        public void known(String model) {
        }

        @Override
        public Optional<Drift> drift(String model, Duration window) {
            reads.add(model + "/" + window);
            return drift;
        }

        @Override
        public Optional<Performance> performance(String model, Duration window) {
            reads.add(model + "/" + window);
            return performance;
        }
    }

    private static ModelWatch.Drift drift(int drifted, int columns, long rows) {
        return new ModelWatch.Drift(3, rows, columns, drifted, drifted == 0 ? List.of() : List.of("temp", "hum").subList(0, Math.min(2, drifted)),
                T0.minus(HOUR), T0);
    }

    @Test
    void aDriftTriggerFiresAtTheShareWaitsForRowsAndStaysQuietForItsCooldown() {
        Readings model = new Readings();
        DriftTrigger trigger = new DriftTrigger(new DriftTrigger.Config("bike", HOUR, 0.5, 100, Duration.ofHours(6), Duration.ofMinutes(1)));
        WatchState s = WatchState.initial();

        // nothing logged yet
        TriggerCheck<WatchState> c = trigger.check(model, s, T0);
        assertThat(c).isInstanceOf(TriggerCheck.Wait.class);
        assertThat(c.state().last()).contains("nothing to compare");
        assertThat(model.reads).containsExactly("bike/PT1H");

        // not due again within checkEvery: the model is not read
        c = trigger.check(model, c.state(), T0.plusSeconds(30));
        assertThat(model.reads).hasSize(1);
        assertThat(((TriggerCheck.Wait<WatchState>) c).reason()).startsWith("next check at");

        // a sweep of readings a minute apart: below the share, too few rows, exactly the share
        Instant t = T0.plusSeconds(60);
        model.drift = Optional.of(drift(1, 4, 5000));
        c = trigger.check(model, c.state(), t);
        assertThat(c).isInstanceOf(TriggerCheck.Wait.class);
        assertThat(c.state().last()).contains("1 of 4 columns drifted (0.25, fires at 0.50)");

        model.drift = Optional.of(drift(4, 4, 99));
        c = trigger.check(model, c.state(), t = t.plusSeconds(60));
        assertThat(c.state().last()).contains("waiting for 100 rows");
        assertThat(c).isInstanceOf(TriggerCheck.Wait.class);

        model.drift = Optional.of(drift(2, 4, 100));
        c = trigger.check(model, c.state(), t = t.plusSeconds(60));
        assertThat(c).isInstanceOf(TriggerCheck.Fire.class);
        assertThat(((TriggerCheck.Fire<WatchState>) c).reason()).isEqualTo(new LaunchReason.ModelDrift("bike", 3, 2, 4, List.of("hum", "temp"),
                100, T0.minus(HOUR), T0));
        assertThat(c.state().firedAtMillis()).isEqualTo(t.toEpochMilli());
        Instant fired = t;

        // still drifting: quiet until the cooldown is over, then fires again
        c = trigger.check(model, c.state(), t = t.plusSeconds(60));
        assertThat(c).isInstanceOf(TriggerCheck.Wait.class);
        assertThat(c.state().last()).contains("in cooldown until " + fired.plus(Duration.ofHours(6)));
        c = trigger.check(model, c.state(), fired.plus(Duration.ofHours(6)));
        assertThat(c).isInstanceOf(TriggerCheck.Fire.class);
    }

    @Test
    void aPerformanceTriggerFiresAboveOrBelowItsThresholdOnlyWithEnoughLabels() {
        Readings model = new Readings();
        record Case(Double above, Double below, double value, long labels, boolean fires) {
        }
        List<Case> cases = List.of(new Case(40.0, null, 52.5, 200, true), new Case(40.0, null, 40.0, 200, false),
                new Case(40.0, null, 52.5, 199, false), new Case(null, 0.8, 0.75, 500, true), new Case(null, 0.8, 0.8, 500, false),
                new Case(null, 0.8, 0.95, 500, false));
        for (Case k : cases) {
            String metric = k.above() != null ? "rmse" : "accuracy";
            PerformanceTrigger trigger = new PerformanceTrigger(new PerformanceTrigger.Config("bike", metric, k.above(), k.below(),
                    Duration.ofDays(1), 200, Duration.ofDays(1), Duration.ofMinutes(1)));
            model.performance = Optional.of(new ModelWatch.Performance(3, k.labels(), Map.of(metric, k.value(), "mae", 1.0), T0.minus(HOUR), T0));
            TriggerCheck<WatchState> c = trigger.check(model, WatchState.initial(), T0);
            assertThat(c instanceof TriggerCheck.Fire).as(k.toString()).isEqualTo(k.fires());
            if (k.fires()) {
                LaunchReason.PerformanceDrop drop = (LaunchReason.PerformanceDrop) ((TriggerCheck.Fire<WatchState>) c).reason();
                assertThat(drop.metric()).isEqualTo(metric);
                assertThat(drop.value()).isEqualTo(k.value());
                assertThat(drop.direction()).isEqualTo(k.above() != null ? "above" : "below");
                assertThat(drop.labelledRows()).isEqualTo(k.labels());
            }
        }
        // labels without the asked metric (f1 needs 0/1 labels): a wait that says so
        PerformanceTrigger f1 = new PerformanceTrigger(new PerformanceTrigger.Config("bike", "f1", null, 0.5, HOUR, 1, HOUR, HOUR));
        TriggerCheck<WatchState> c = f1.check(model, WatchState.initial(), T0);
        assertThat(c).isInstanceOf(TriggerCheck.Wait.class);
        assertThat(c.state().last()).contains("no f1 of bike");
    }

    @Test
    void badSettingsAreRefusedNamingTheOption() {
        assertInvalid(() -> new DriftTrigger.Config(" ", HOUR, 0.5, 1, HOUR, HOUR), "--model");
        assertInvalid(() -> new DriftTrigger.Config("m", Duration.ZERO, 0.5, 1, HOUR, HOUR), "--window must be a positive duration");
        assertInvalid(() -> new DriftTrigger.Config("m", HOUR, 0, 1, HOUR, HOUR), "--share must be above 0 and at most 1");
        assertInvalid(() -> new DriftTrigger.Config("m", HOUR, 1.5, 1, HOUR, HOUR), "--share must be above 0 and at most 1");
        assertInvalid(() -> new DriftTrigger.Config("m", HOUR, Double.NaN, 1, HOUR, HOUR), "--share");
        assertInvalid(() -> new DriftTrigger.Config("m", HOUR, 0.5, 0, HOUR, HOUR), "--min-rows must be at least 1");
        assertInvalid(() -> new DriftTrigger.Config("m", HOUR, 0.5, 1, HOUR.negated(), HOUR), "--cooldown");
        assertInvalid(() -> new DriftTrigger.Config("m", HOUR, 0.5, 1, HOUR, null), "--check-every");
        assertInvalid(() -> new PerformanceTrigger.Config("m", "r2", 1.0, null, HOUR, 1, HOUR, HOUR), "--metric must be one of");
        assertInvalid(() -> new PerformanceTrigger.Config("m", "rmse", null, null, HOUR, 1, HOUR, HOUR), "exactly one of --above");
        assertInvalid(() -> new PerformanceTrigger.Config("m", "rmse", 1.0, 2.0, HOUR, 1, HOUR, HOUR), "exactly one of --above");
        assertInvalid(() -> new PerformanceTrigger.Config("m", "rmse", Double.POSITIVE_INFINITY, null, HOUR, 1, HOUR, HOUR), "finite");
        assertInvalid(() -> new PerformanceTrigger.Config("m", "rmse", 1.0, null, HOUR, 0, HOUR, HOUR), "--min-labels must be at least 1");
    }

    private static void assertInvalid(Runnable r, String message) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining(message);
    }
}
