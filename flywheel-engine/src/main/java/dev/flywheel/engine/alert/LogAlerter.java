package dev.flywheel.engine.alert;

import dev.flywheel.sdk.alert.Alert;
import dev.flywheel.sdk.alert.AlertDelivery;
import dev.flywheel.sdk.alert.Alerter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The embedded alerter ({@code log}): alerts as log lines of the logger {@code flywheel.alerts}. */
public final class LogAlerter implements Alerter {
    private static final Logger LOG = LoggerFactory.getLogger("flywheel.alerts");
    private final Alert.Severity minSeverity;

    public LogAlerter(Alert.Severity minSeverity) {
        this.minSeverity = minSeverity;
    }

    @Override
    public AlertDelivery post(Alert alert) {
        if (alert.severity().compareTo(minSeverity) < 0) {
            return AlertDelivery.delivered("not logged: " + alert.severity() + " is below minSeverity " + minSeverity);
        }
        String line = "alert severity={} title=\"{}\" text=\"{}\" details={}";
        switch (alert.severity()) {
            case INFO -> LOG.info(line, alert.severity(), alert.title(), alert.text(), alert.details());
            case WARNING -> LOG.warn(line, alert.severity(), alert.title(), alert.text(), alert.details());
            case ERROR -> LOG.error(line, alert.severity(), alert.title(), alert.text(), alert.details());
        }
        return AlertDelivery.delivered("logged to flywheel.alerts");
    }
}
