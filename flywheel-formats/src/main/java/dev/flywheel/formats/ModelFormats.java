package dev.flywheel.formats;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The model formats on the class path, by name. Built once (for example in {@code Flywheel.create}) and
 * shared; immutable and thread-safe.
 *
 * <pre>{@code
 * ModelFormats formats = ModelFormats.load();
 * try (LoadedModel model = formats.get("xgboost").load(Path.of("model.ubj"), signature)) {
 *     Predictions p = model.predict(new FeatureBatch(1, 3, new float[] {1f, 0.5f, Float.NaN}));
 * }
 * }</pre>
 */
public final class ModelFormats {
    private final Map<String, ModelFormat> byName;

    private ModelFormats(Map<String, ModelFormat> byName) {
        this.byName = Map.copyOf(byName);
    }

    /** Finds formats with {@link ServiceLoader} through this class's class loader. */
    public static ModelFormats load() {
        return load(ModelFormats.class.getClassLoader());
    }

    /**
     * Finds formats with {@link ServiceLoader} through {@code classLoader}.
     *
     * @throws FlywheelException with {@code INTERNAL} when two formats claim the same name
     */
    public static ModelFormats load(ClassLoader classLoader) {
        Map<String, ModelFormat> found = new TreeMap<>();
        for (ModelFormat format : ServiceLoader.load(ModelFormat.class, classLoader)) {
            ModelFormat previous = found.putIfAbsent(format.name(), format);
            if (previous != null) {
                throw new FlywheelException(ErrorCode.INTERNAL, "Two model formats are named '" + format.name() + "': "
                        + previous.getClass().getName() + " and " + format.getClass().getName()
                        + "; remove one of them from the class path");
            }
        }
        return new ModelFormats(found);
    }

    /** The given formats, for tests and embedders that do not use {@link ServiceLoader}. */
    public static ModelFormats of(ModelFormat... formats) {
        Map<String, ModelFormat> m = new TreeMap<>();
        for (ModelFormat f : formats) {
            if (m.putIfAbsent(f.name(), f) != null) {
                throw new IllegalArgumentException("duplicate model format name '" + f.name() + "'");
            }
        }
        return new ModelFormats(m);
    }

    /**
     * The format called {@code name}.
     *
     * @throws FlywheelException with {@code NOT_FOUND} listing the known formats when there is none
     */
    public ModelFormat get(String name) {
        ModelFormat format = byName.get(name);
        if (format == null) {
            throw new FlywheelException(ErrorCode.NOT_FOUND, "Unknown model format '" + name + "'; known formats: "
                    + String.join(", ", names()) + ". Use one of these names, or add a format by listing its class in "
                    + "META-INF/services/" + ModelFormat.class.getName());
        }
        return format;
    }

    /** Whether a format called {@code name} is available. */
    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /** The known format names, sorted. */
    public SortedSet<String> names() {
        return new TreeSet<>(byName.keySet());
    }
}
