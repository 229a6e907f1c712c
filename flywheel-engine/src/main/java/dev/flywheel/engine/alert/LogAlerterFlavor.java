package dev.flywheel.engine.alert;

import dev.flywheel.sdk.alert.Alert;
import dev.flywheel.sdk.alert.Alerter;
import dev.flywheel.sdk.flavor.ComponentKind;
import dev.flywheel.sdk.flavor.Flavor;
import dev.flywheel.sdk.flavor.FlavorContext;
import dev.flywheel.sdk.flavor.Setting;

/** The embedded alerter flavor {@code log}. */
public final class LogAlerterFlavor implements Flavor<LogAlerterFlavor.Settings, Alerter> {

    /** @param minSeverity alerts below it are not logged */
    public record Settings(@Setting(description = "alerts below it are not logged", defaultValue = "info") Alert.Severity minSeverity) {
    }

    @Override
    public ComponentKind kind() {
        return ComponentKind.ALERTER;
    }

    @Override
    public String name() {
        return "log";
    }

    @Override
    public String description() {
        return "alerts as lines of the log (logger flywheel.alerts)";
    }

    @Override
    public Class<Settings> settingsType() {
        return Settings.class;
    }

    @Override
    public Alerter create(Settings settings, FlavorContext context) {
        return new LogAlerter(settings.minSeverity());
    }
}
