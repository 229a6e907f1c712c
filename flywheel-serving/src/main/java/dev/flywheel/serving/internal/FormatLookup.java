package dev.flywheel.serving.internal;

import dev.flywheel.formats.ModelFormat;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The model formats on the class path, by name. Kept private to serving so it is easy to replace with
 * {@code dev.flywheel.formats.ModelFormats} once that exists on this branch.
 */
public final class FormatLookup {
    private final Map<String, ModelFormat> byName;

    public FormatLookup(ClassLoader loader) {
        Map<String, ModelFormat> found = new TreeMap<>();
        for (ModelFormat format : ServiceLoader.load(ModelFormat.class, loader)) {
            found.putIfAbsent(format.name(), format);
        }
        this.byName = Map.copyOf(found);
    }

    public ModelFormat require(String name) {
        ModelFormat format = byName.get(name);
        if (format == null) {
            throw new FlywheelException(ErrorCode.INVALID_ARGUMENT, "unknown model format '" + name
                    + "'; formats on this server's class path: " + new TreeMap<>(byName).keySet()
                    + " (add the format's jar or fix the format name)");
        }
        return format;
    }
}
