package dev.flywheel.engine.stack;

import dev.flywheel.sdk.flavor.ComponentKind;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A registered component: a named, configured instance of a flavor.
 *
 * @param settings the settings as given, already checked against the flavor's settings record; secret references
 *                 ({@code {{secret.NAME.KEY}}}) are kept as written and resolved only when the component is built
 */
public record StackComponent(ComponentKind kind, String name, String flavor, Map<String, String> settings, Instant createdAt) {
    public StackComponent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(flavor, "flavor");
        settings = java.util.Collections.unmodifiableMap(new TreeMap<>(settings));
    }
}
