package dev.flywheel.sdk.internal;

import java.util.Map;

/** Maps primitive types to their boxes, so {@code int} and {@code Integer} wire to each other. */
final class Primitives {
    private static final Map<Class<?>, Class<?>> BOXES = Map.of(
            int.class, Integer.class, long.class, Long.class, double.class, Double.class, float.class, Float.class,
            boolean.class, Boolean.class, short.class, Short.class, byte.class, Byte.class, char.class, Character.class);

    private Primitives() {
    }

    static Class<?> box(Class<?> type) {
        return BOXES.getOrDefault(type, type);
    }
}
