package dev.flywheel.engine.stack;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A registered component: a named, configured instance of a flavor.
 *
 * @param settings the settings as given (already checked against the flavor's config record)
 */
public record StackComponent(ComponentKind kind, String name, String flavor, Map<String, Object> settings, Instant createdAt) {
    public StackComponent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(flavor, "flavor");
        settings = Map.copyOf(settings);
    }
}
