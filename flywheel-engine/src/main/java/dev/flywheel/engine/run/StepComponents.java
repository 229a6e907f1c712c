package dev.flywheel.engine.run;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The stack components steps may ask for through {@code StepContext.component(type)}: the runtime registers the
 * model registry, the model deployer and so on when it wires a stack. Thread-safe.
 */
public final class StepComponents {
    private final Map<Class<?>, Supplier<?>> byType = new ConcurrentHashMap<>();

    public <T> StepComponents register(Class<T> type, T component) {
        byType.put(type, () -> component);
        return this;
    }

    /** Registers a component that is built when a step first asks for it. */
    public <T> StepComponents register(Class<T> type, Supplier<? extends T> component) {
        byType.put(type, component);
        return this;
    }

    public <T> T get(Class<T> type) {
        Supplier<?> found = byType.get(type);
        if (found == null) {
            for (Map.Entry<Class<?>, Supplier<?>> e : byType.entrySet()) {
                if (type.isAssignableFrom(e.getKey())) {
                    found = e.getValue();
                    break;
                }
            }
        }
        Object c = found == null ? null : found.get();
        if (c == null) {
            throw new FlywheelException(ErrorCode.NOT_FOUND, "This run's stack has no component of type " + type.getSimpleName()
                    + "; add one to the stack (flywheel stack describe) or run the step on a stack that has it");
        }
        return type.cast(c);
    }
}
