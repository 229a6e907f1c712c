package dev.flywheel.deploy.rollout;

import dev.flywheel.sdk.alert.Alert;
import dev.flywheel.sdk.alert.Alerter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A rollout's end told to the registry, and a failed one (an automatic rollback, or a challenger the server refused)
 * posted to the stack's alerter too: model, both versions, the weight it held, the failed checks with their numbers.
 * A rollback a user asked for is not alerted (the user knows). The alerter never throws (it records a failed
 * delivery), and the traffic is back on the champion before this is told, so a slow webhook delays nobody's answer.
 */
public final class AlertingRolloutOutcomes implements RolloutOutcomes {
    private final RolloutOutcomes registry;
    private final Alerter alerter;

    public AlertingRolloutOutcomes(RolloutOutcomes registry, Alerter alerter) {
        this.registry = registry;
        this.alerter = alerter;
    }

    @Override
    public void promoted(RolloutRecord r) {
        registry.promoted(r);
    }

    @Override
    public void rolledBack(RolloutRecord r) {
        registry.rolledBack(r);
        if (r.state() == RolloutState.FAILED) {
            alerter.post(alert(r));
        }
    }

    /** The alert of a failed rollout: its last failed analysis's checks when it had one, else the reason alone. */
    public static Alert alert(RolloutRecord r) {
        StepDecision failed = null;
        for (StepDecision d : r.decisions()) {
            if (d.verdict() == Verdict.FAIL) {
                failed = d;
            }
        }
        List<CheckResult> checks = failed == null ? List.of() : failed.checks().stream().filter(c -> c.verdict() == Verdict.FAIL).toList();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("model", r.modelName());
        details.put("rollout", r.id().toString());
        details.put("service", r.service().toString());
        details.put("strategy", r.plan().strategy().label());
        details.put("champion_version", String.valueOf(r.championVersion()));
        details.put("challenger_version", String.valueOf(r.challengerVersion()));
        if (failed != null) {
            details.put("weight", String.valueOf(failed.weight()));
        }
        List<String> names = new ArrayList<>();
        for (CheckResult c : checks) {
            names.add(c.check());
            details.put(c.check() + ".value", number(c.value()));
            details.put(c.check() + ".threshold", number(c.threshold()));
            details.put(c.check() + ".samples", String.valueOf(c.samples()));
        }
        if (!names.isEmpty()) {
            details.put("failed_check", String.join(",", names));
        }
        String title = "Rollout " + r.shortId() + " of '" + r.modelName() + "' rolled back: version " + r.championVersion()
                + " serves alone, version " + r.challengerVersion() + " failed";
        StringBuilder text = new StringBuilder(r.reason() == null ? "the rollout failed" : r.reason());
        for (CheckResult c : checks) {
            text.append("\n").append(c.describe());
        }
        text.append("\nVersion ").append(r.challengerVersion()).append(" is tagged ").append(RegistryRolloutOutcomes.TAG)
                .append(" with the reason; see flywheel rollouts status ").append(r.shortId());
        return new Alert(Alert.Severity.WARNING, title, text.toString(), details);
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.6g", v);
    }
}
