package dev.flywheel.cd.internal;

import dev.flywheel.cd.Condition;
import dev.flywheel.cd.ConditionResult;
import dev.flywheel.cd.spi.Contender;
import dev.flywheel.sdk.model.MetricDirection;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Checks one {@link Condition} on a {@link Scoreboard} and says why, with the numbers. */
public final class ConditionCheck {
    private ConditionCheck() {
    }

    public static ConditionResult check(Condition condition, Scoreboard board) {
        String metric = condition.metric();
        boolean higher = condition.direction() == MetricDirection.HIGHER_IS_BETTER;
        double c = board.value(metric, board.challenger());
        Optional<Contender> base = board.baseline();
        Double b = base.map(side -> board.value(metric, side)).orElse(null);
        List<String> failed = new ArrayList<>();
        List<String> held = new ArrayList<>();
        String cText = metric + " " + num(c);
        if (Double.isNaN(c)) {
            failed.add(cText + " is not a number");
        }
        Double t = condition.threshold();
        if (t != null) {
            boolean ok = higher ? c >= t : c <= t;
            (ok ? held : failed).add(String.format(Locale.ROOT, "%s %s threshold %s", cText, ok ? (higher ? ">=" : "<=") : (higher ? "<" : ">"), num(t)));
        }
        Double minAbs = condition.minAbsoluteChange();
        Double minRel = condition.minRelativeChange();
        if (b != null) {
            String who = base.get().role();
            double improvement = higher ? c - b : b - c;
            if (minAbs == null && minRel == null && t == null) {
                // A bare condition: at least as good as the baseline.
                minAbs = 0.0;
            }
            String versus = String.format(Locale.ROOT, "%s %s %s (%s) by %s", cText, improvement >= 0 ? "beats" : "is worse than", who,
                    num(b), num(Math.abs(improvement)));
            if (minAbs != null) {
                boolean ok = improvement >= minAbs;
                (ok ? held : failed).add(versus + (ok ? ", meeting" : ", short of") + " the required change " + num(minAbs));
            }
            if (minRel != null) {
                double relative = b == 0 ? (improvement > 0 ? Double.POSITIVE_INFINITY : improvement == 0 ? 0 : Double.NEGATIVE_INFINITY)
                        : improvement / Math.abs(b);
                boolean ok = relative >= minRel;
                (ok ? held : failed).add(String.format(Locale.ROOT, "%s: relative change %s %s the required %s", versus,
                        pct(relative), ok ? "meets" : "is short of", pct(minRel)));
            }
            if (minAbs == null && minRel == null) {
                held.add(versus);
            }
        } else if (t == null) {
            held.add(cText + " (nothing to compare with)");
        }
        boolean passed = failed.isEmpty();
        String reason = String.join("; ", passed ? held : failed);
        return new ConditionResult(metric, board.source(metric), condition.direction(), c, b, t, condition.minAbsoluteChange(),
                condition.minRelativeChange(), passed, reason);
    }

    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 0.001 ? "%.4f" : "%.4g", v);
    }

    private static String pct(double fraction) {
        return Double.isInfinite(fraction) ? (fraction > 0 ? "+inf" : "-inf") : String.format(Locale.ROOT, "%+.2f%%", fraction * 100);
    }
}
