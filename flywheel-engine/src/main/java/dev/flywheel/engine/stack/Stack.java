package dev.flywheel.engine.stack;

import java.util.Map;
import java.util.Objects;

/**
 * A named set of components, one per kind: the same pipeline runs on {@code default}, {@code staging} or
 * {@code production} by choosing a stack, never by changing code.
 *
 * @param name       the stack's name
 * @param components the component of each kind
 * @param active     whether it is the project's active stack
 */
public record Stack(String name, Map<ComponentKind, StackComponent> components, boolean active) {
    public Stack {
        Objects.requireNonNull(name, "name");
        components = Map.copyOf(components);
    }

    public StackComponent component(ComponentKind kind) {
        return components.get(kind);
    }
}
