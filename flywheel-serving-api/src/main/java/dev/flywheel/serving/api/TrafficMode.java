package dev.flywheel.serving.api;

/** How a server routes requests between its champion and a challenger. */
public enum TrafficMode {
    /** One version answers everything. */
    SINGLE,
    /** Weighted routing, sticky per client key. */
    CANARY,
    /** Every request (or a share) mirrored to the challenger off the response path. */
    SHADOW;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
