package dev.flywheel.sdk.alert;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One alert.
 *
 * @param severity how urgent
 * @param title    one line ({@code Run 3f2a of demand_forecast failed})
 * @param text     what happened and what to do, a few lines at most
 * @param details  facts for machines and filters ({@code pipeline}, {@code run}), sorted by key
 */
public record Alert(Severity severity, String title, String text, Map<String, String> details) {
    public Alert {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(title, "title");
        text = text == null ? "" : text;
        details = java.util.Collections.unmodifiableMap(new TreeMap<>(details == null ? Map.of() : details));
    }

    /** How urgent an alert is. */
    public enum Severity { INFO, WARNING, ERROR }

    public static Alert of(Severity severity, String title, String text) {
        return new Alert(severity, title, text, Map.of());
    }
}
