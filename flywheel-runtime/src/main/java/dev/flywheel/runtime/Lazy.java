package dev.flywheel.runtime;

import java.util.function.Supplier;

/**
 * A part of the wiring built on first use. A short command such as {@code flywheel runs list} needs the metadata
 * store and nothing else; building the registry, the formats, the deployer's HTTP client and the materializers for
 * it would triple its start-up time. Thread-safe; the supplier runs at most once.
 */
final class Lazy<T> implements Supplier<T> {
    private final Supplier<T> build;
    private volatile T value;

    private Lazy(Supplier<T> build) {
        this.build = build;
    }

    static <T> Lazy<T> of(Supplier<T> build) {
        return new Lazy<>(build);
    }

    @Override
    public T get() {
        T v = value;
        if (v == null) {
            synchronized (this) {
                v = value;
                if (v == null) {
                    v = build.get();
                    value = v;
                }
            }
        }
        return v;
    }

    /** Whether the value was built (a handle closes only what it opened). */
    boolean isBuilt() {
        return value != null;
    }
}
