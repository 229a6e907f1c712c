package dev.flywheel.engine.stack;

import dev.flywheel.sdk.flavor.ComponentKind;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A named set of components, at most one per stack kind: the same pipeline runs on {@code default}, {@code staging}
 * or {@code production} by choosing a stack, never by changing code. Every stack kind with a built-in flavor has a
 * member; a stack has a step operator only when one was given.
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

    /** The member of this kind, or null. */
    public StackComponent component(ComponentKind kind) {
        return components.get(kind);
    }

    public Optional<StackComponent> find(ComponentKind kind) {
        return Optional.ofNullable(components.get(kind));
    }
}
