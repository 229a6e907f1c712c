package dev.flywheel.registry;

import dev.flywheel.sdk.FlywheelException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where a model version is in its life. At most one version of a model is in {@link #PRODUCTION}; promoting
 * another moves the previous one to {@link #ARCHIVED}.
 */
public enum Stage {
    NONE, STAGING, PRODUCTION, ARCHIVED;

    /** Parses a stage name as users type it ({@code production}, {@code Staging}). */
    public static Stage parse(String text) {
        String t = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
        for (Stage s : values()) {
            if (s.name().equals(t)) {
                return s;
            }
        }
        throw FlywheelException.invalid("Unknown stage '" + text + "'; use one of: " + Arrays.stream(values())
                .map(Stage::label).collect(Collectors.joining(", ")));
    }

    /** The lower-case name the CLI shows and accepts. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
