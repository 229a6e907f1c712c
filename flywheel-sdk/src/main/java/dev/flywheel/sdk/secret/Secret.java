package dev.flywheel.sdk.secret;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.flywheel.sdk.FlywheelException;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A secret with its values. {@code toString()} and JSON never show the values; read them with {@link #value}.
 */
public record Secret(String name, @JsonIgnore Map<String, String> values) {
    public Secret {
        Objects.requireNonNull(name, "name");
        values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /**
     * One value.
     *
     * @throws FlywheelException INVALID_ARGUMENT naming the keys the secret has
     */
    public String value(String key) {
        String v = values.get(key);
        if (v == null) {
            throw FlywheelException.invalid("Secret '" + name + "' has no key '" + key + "'; it has: " + String.join(", ", values.keySet())
                    + " (see: flywheel secret describe " + name + ")");
        }
        return v;
    }

    @Override
    public String toString() {
        return "Secret[" + name + ", keys=" + values.keySet() + ", values=****]";
    }
}
