package dev.flywheel.engine.stack;

import java.util.Objects;

/**
 * A flavor of a stack component: its kind, its name and the record its settings are read into. Settings are checked
 * when a component is registered (unknown keys and bad values are rejected there), never first at run time.
 *
 * @param kind       the component kind it implements
 * @param name       the flavor name users give with {@code --flavor} ({@code local})
 * @param configType the record the settings are read into; its compact constructor validates values
 * @param <C>        the config record
 */
public record Flavor<C extends Record>(ComponentKind kind, String name, Class<C> configType) {
    public Flavor {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(configType, "configType");
    }
}
