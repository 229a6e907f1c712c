package dev.flywheel.monitor;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * The usual reading of a population stability index: below the warn level (0.1 by default) the population is
 * stable, from there to the act level (0.25) it shifted enough to look at, above that enough to act on.
 */
public enum PsiLevel {
    STABLE,
    WARN,
    ACT;

    /** The level of {@code psi} for the given warn and act levels. */
    public static PsiLevel of(double psi, double warn, double act) {
        if (psi >= act) {
            return ACT;
        }
        return psi >= warn ? WARN : STABLE;
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
