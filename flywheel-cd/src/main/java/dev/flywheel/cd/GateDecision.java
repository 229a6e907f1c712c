package dev.flywheel.cd;

import java.util.List;

/**
 * What the deployment gate decided and why, with every condition and its numbers. The gate step's output; also
 * written to its log and metadata.
 *
 * @param accepted         whether the challenger was deployed (and promoted to production)
 * @param reason           one line a person reads: the failed conditions when rejected, every condition when accepted
 * @param model            the model's name
 * @param candidateVersion the challenger's version
 * @param baselineVersion  the version it was compared with, or 0 when there was none
 * @param baselineSource   how that version was found: {@code served}, {@code production}, or {@code none}
 * @param conditions       every condition checked, in order, with its numbers
 * @param serviceId        the service that serves the challenger when accepted, else null
 * @param predictionUrl    its prediction URL when accepted, else null
 * @param rollout          when accepted, one line per other service production was rolled out to
 */
public record GateDecision(boolean accepted, String reason, String model, int candidateVersion, int baselineVersion, String baselineSource,
                           List<ConditionResult> conditions, String serviceId, String predictionUrl, List<String> rollout) {
    public GateDecision {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
        rollout = rollout == null ? List.of() : List.copyOf(rollout);
    }

    /** The same decision once the challenger serves. */
    public GateDecision deployed(String service, String url, List<String> rolledOut) {
        return new GateDecision(accepted, reason, model, candidateVersion, baselineVersion, baselineSource, conditions, service, url, rolledOut);
    }

    /** The first condition's metric (the config's {@code metric}), or null. */
    public String metric() {
        return conditions.isEmpty() ? null : conditions.getFirst().name();
    }

    /** The challenger's value of the first condition's metric, or NaN. */
    public double candidateValue() {
        return conditions.isEmpty() || conditions.getFirst().challenger() == null ? Double.NaN : conditions.getFirst().challenger();
    }

    /** The baseline's value of the first condition's metric, or NaN when there was no baseline. */
    public double productionValue() {
        return conditions.isEmpty() || conditions.getFirst().baseline() == null ? Double.NaN : conditions.getFirst().baseline();
    }

    /** The version compared with (served or production), or 0. */
    public int productionVersion() {
        return baselineVersion;
    }

    /** The first condition's threshold, or NaN when it has none. */
    public double threshold() {
        return conditions.isEmpty() || conditions.getFirst().threshold() == null ? Double.NaN : conditions.getFirst().threshold();
    }

    /** The first condition's required absolute improvement, or 0. */
    public double minImprovement() {
        return conditions.isEmpty() || conditions.getFirst().minAbsoluteChange() == null ? 0 : conditions.getFirst().minAbsoluteChange();
    }

    @Override
    public String toString() {
        return (accepted ? "ACCEPTED " : "REJECTED ") + model + " v" + candidateVersion + ": " + reason;
    }
}
