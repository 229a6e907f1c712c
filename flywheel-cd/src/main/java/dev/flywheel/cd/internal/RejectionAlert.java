package dev.flywheel.cd.internal;

import dev.flywheel.cd.ConditionResult;
import dev.flywheel.cd.GateDecision;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.StepContext;
import dev.flywheel.sdk.alert.Alert;
import dev.flywheel.sdk.alert.AlertDelivery;
import dev.flywheel.sdk.alert.Alerter;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Tells the stack's alerter that the gate refused a challenger: which model and version, what it was compared with,
 * the first failed condition's metric with both numbers, and the whole reason. A refused challenger is news for the
 * people who own the model (the retraining they expected did not ship), so it is an alert like a failed run.
 */
public final class RejectionAlert {
    private RejectionAlert() {
    }

    /**
     * The alert for a rejected {@code decision} of run {@code runId} of {@code pipeline}; {@code details} hold
     * {@code kind} ({@code deploy_rejected}), {@code model}, {@code version}, {@code baseline} ({@code served v2}),
     * {@code metric}, {@code challenger_value}, {@code baseline_value} (when there was one), {@code threshold}
     * (when set), {@code reason}, {@code pipeline} and {@code run}.
     */
    public static Alert of(GateDecision decision, String pipeline, String runId) {
        ConditionResult failed = decision.conditions().stream().filter(c -> !c.passed()).findFirst()
                .orElse(decision.conditions().isEmpty() ? null : decision.conditions().getFirst());
        String baseline = decision.baselineVersion() > 0 ? decision.baselineSource() + " v" + decision.baselineVersion() : "nothing";
        Map<String, String> details = new LinkedHashMap<>();
        details.put("kind", "deploy_rejected");
        details.put("model", decision.model());
        details.put("version", Integer.toString(decision.candidateVersion()));
        details.put("baseline", baseline);
        StringBuilder text = new StringBuilder("The deployment gate kept ").append(baseline).append(" of ").append(decision.model())
                .append(" and did not deploy v").append(decision.candidateVersion()).append('.');
        if (failed != null) {
            details.put("metric", failed.name());
            if (failed.challenger() != null) {
                details.put("challenger_value", number(failed.challenger()));
                text.append(' ').append(failed.name()).append(": v").append(decision.candidateVersion()).append(' ')
                        .append(number(failed.challenger()));
                if (failed.baseline() != null) {
                    details.put("baseline_value", number(failed.baseline()));
                    text.append(" vs ").append(baseline).append(' ').append(number(failed.baseline()));
                }
                if (failed.threshold() != null) {
                    details.put("threshold", number(failed.threshold()));
                    text.append(" (threshold ").append(number(failed.threshold())).append(')');
                }
                text.append('.');
            }
        }
        details.put("reason", decision.reason());
        details.put("pipeline", pipeline);
        details.put("run", runId);
        text.append(" Reason: ").append(decision.reason()).append(". Pipeline ").append(pipeline).append(", run ").append(runId)
                .append("; see: flywheel runs describe ").append(runId).append(" --logs");
        return new Alert(Alert.Severity.WARNING, "Deploy of " + decision.model() + " v" + decision.candidateVersion() + " rejected by the gate",
                text.toString(), details);
    }

    /**
     * Posts the alert for {@code decision} through the stack's alerter, if the step's context has one, and notes the
     * delivery in the step's log. Never throws: an alert that cannot be sent must not fail the gate's step.
     */
    public static void post(GateDecision decision, StepContext ctx) {
        Alerter alerter;
        try {
            alerter = ctx.component(Alerter.class);
        } catch (FlywheelException | ClassCastException e) {
            return; // a context without a stack's components (a step run on its own): nobody to tell
        }
        if (alerter == null) {
            return;
        }
        AlertDelivery delivery;
        try {
            delivery = alerter.post(of(decision, ctx.pipelineName(), ctx.runId()));
        } catch (RuntimeException e) {
            delivery = AlertDelivery.failed(e.toString());
        }
        ctx.log("  alert: %s (%s)", delivery.delivered() ? "sent" : "not delivered", delivery.detail());
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.6g", v).replaceFirst("(\\.\\d*?)0+($|e)", "$1$2").replaceFirst("\\.($|e)", "$1");
    }
}
