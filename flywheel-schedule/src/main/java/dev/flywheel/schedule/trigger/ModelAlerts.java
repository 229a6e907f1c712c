package dev.flywheel.schedule.trigger;

import dev.flywheel.sdk.LaunchReason;
import dev.flywheel.sdk.alert.Alert;
import dev.flywheel.sdk.alert.AlertDelivery;
import dev.flywheel.sdk.alert.Alerter;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The alert a drift or performance trigger sends when it fires: what was seen and which pipeline it starts. */
public final class ModelAlerts {
    /** Sends nothing: for schedulers without an alerter. */
    public static final Alerter NONE = alert -> AlertDelivery.delivered("no alerter configured");

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ModelAlerts.class);

    private ModelAlerts() {
    }

    /**
     * Posts {@code alert} on a thread of its own: a receiver that is slow or down (retries with backoff) never holds up
     * the scheduler's loop. A failed delivery is logged; the alerter records it where it records deliveries.
     */
    public static void postLater(Alerter alerter, Alert alert) {
        Thread.ofVirtual().name("flywheel-alert").start(() -> {
            try {
                AlertDelivery d = alerter.post(alert);
                if (!d.delivered()) {
                    log.warn("alert not delivered: title=\"{}\" reason={}", alert.title(), d.detail());
                }
            } catch (RuntimeException e) {
                log.warn("alert not delivered: title=\"{}\" reason={}", alert.title(), e.toString());
            }
        });
    }

    /**
     * The alert for a model trigger's fire; {@code details} hold {@code trigger}, {@code pipeline}, {@code model},
     * {@code version}, {@code kind} and {@code fire} (the short text the fire is listed with).
     */
    public static Alert fired(String triggerId, String pipeline, LaunchReason reason) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("trigger", triggerId);
        details.put("pipeline", pipeline);
        if (reason instanceof LaunchReason.ModelDrift d) {
            details.put("kind", "drift");
            details.put("model", d.model());
            details.put("version", Integer.toString(d.version()));
            details.put("fire", "drift:" + d.model() + " v" + d.version() + " " + d.driftedColumns() + "/" + d.columns() + " columns");
            return new Alert(Alert.Severity.WARNING, "Model " + d.model() + " v" + d.version() + ": live data drifted",
                    d.driftedColumns() + " of " + d.columns() + " columns drifted " + d.drifted() + " over " + d.rows() + " logged rows between "
                            + d.from() + " and " + d.to() + "; starting pipeline " + pipeline + " (trigger " + triggerId + ")."
                            + " See: flywheel monitor report " + d.model(), details);
        }
        if (reason instanceof LaunchReason.PerformanceDrop p) {
            details.put("kind", "performance");
            details.put("model", p.model());
            details.put("version", Integer.toString(p.version()));
            details.put("fire", "performance:" + p.model() + " v" + p.version() + " " + p.metric() + " " + p.direction() + " " + p.threshold());
            return new Alert(Alert.Severity.WARNING, "Model " + p.model() + " v" + p.version() + ": live " + p.metric() + " " + p.direction()
                    + " " + p.threshold(), String.format(Locale.ROOT, "%s was %.6g on %d labelled predictions between %s and %s; starting pipeline"
                    + " %s (trigger %s). See: flywheel monitor performance %s", p.metric(), p.value(), p.labelledRows(), p.from(), p.to(),
                    pipeline, triggerId, p.model()), details);
        }
        details.put("kind", "trigger");
        details.put("fire", "trigger");
        return new Alert(Alert.Severity.INFO, "Trigger " + triggerId + " fired", "starting pipeline " + pipeline, details);
    }
}
