package dev.flywheel.cd;

import java.util.List;

/**
 * What the deployment gate decided and why, with every condition and its numbers. The gate step's output; also
 * written to its log and metadata.
 *
 * @param accepted         whether the challenger passed: deployed and promoted to production, or (canary, shadow) its
 *                         rollout started
 * @param reason           one line a person reads: the failed conditions when rejected, every condition when accepted
 * @param model            the model's name
 * @param candidateVersion the challenger's version
 * @param baselineVersion  the version it was compared with, or 0 when there was none
 * @param baselineSource   how that version was found: {@code served}, {@code production}, or {@code none}
 * @param conditions       every condition checked, in order, with its numbers
 * @param serviceId        the service that serves the challenger when accepted, else null
 * @param predictionUrl    its prediction URL when accepted, else null
 * @param rollout          when accepted, one line per other service production was rolled out to
 * @param rolloutId        when accepted with a canary or shadow strategy, the rollout that serves the challenger beside
 *                         the served version ({@code flywheel rollouts status ID}); else null
 */
public record GateDecision(boolean accepted, String reason, String model, int candidateVersion, int baselineVersion, String baselineSource,
                           List<ConditionResult> conditions, String serviceId, String predictionUrl, List<String> rollout, String rolloutId) {
    public GateDecision {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
        rollout = rollout == null ? List.of() : List.copyOf(rollout);
    }

    public GateDecision(boolean accepted, String reason, String model, int candidateVersion, int baselineVersion, String baselineSource,
                        List<ConditionResult> conditions, String serviceId, String predictionUrl, List<String> rollout) {
        this(accepted, reason, model, candidateVersion, baselineVersion, baselineSource, conditions, serviceId, predictionUrl, rollout, null);
    }

    /** The same decision once the challenger serves. */
    public GateDecision deployed(String service, String url, List<String> rolledOut) {
        return live(service, url, rolledOut, null, null);
    }

    /**
     * The same decision once the challenger serves on {@code service}: {@code rolloutId} when a canary or shadow rollout
     * serves it beside the served version (else null), {@code note} appended to the reason when not null.
     */
    public GateDecision live(String service, String url, List<String> rolledOut, String rolloutId, String note) {
        return new GateDecision(accepted, note == null ? reason : reason + "; " + note, model, candidateVersion, baselineVersion, baselineSource,
                conditions, service, url, rolledOut, rolloutId);
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
        return (accepted ? "ACCEPTED " : "REJECTED ") + model + " v" + candidateVersion + ": " + reason
                + (rolloutId == null ? "" : " (rollout " + rolloutId.substring(0, Math.min(8, rolloutId.length())) + ")");
    }
}
