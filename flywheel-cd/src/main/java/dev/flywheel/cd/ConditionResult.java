package dev.flywheel.cd;

import dev.flywheel.sdk.model.MetricDirection;

/**
 * One checked condition with its numbers, as the decision records it.
 *
 * @param name        what was checked (a metric's name, or the plugged gate's own name)
 * @param source      where the values come from: {@code computed on 3476 rows}, {@code measured}, {@code recorded}, or a gate's name
 * @param direction   whether higher or lower is better (null for a plugged gate's verdict without a metric)
 * @param challenger  the challenger's value (null for a verdict without a metric)
 * @param baseline    the baseline's value, or null when there is no baseline
 * @param threshold   the bound the challenger had to reach, or null
 * @param minAbsoluteChange the required improvement over the baseline, or null
 * @param minRelativeChange the required relative improvement, or null
 * @param passed      whether the condition holds
 * @param reason      one line a person reads: {@code roc_auc 0.9412 beats served v1 (0.9101) by 0.0311 >= 0.0100}
 */
public record ConditionResult(String name, String source, MetricDirection direction, Double challenger, Double baseline, Double threshold,
                              Double minAbsoluteChange, Double minRelativeChange, boolean passed, String reason) {

    /** A plugged gate's verdict that has no metric. */
    public static ConditionResult verdict(String name, boolean passed, String reason) {
        return new ConditionResult(name, name, null, null, null, null, null, null, passed, reason);
    }
}
