package dev.flywheel.serving.api;

/** Which part of a rollout a version plays on a server: the {@code role} label of its metrics. */
public enum TrafficRole {
    /** The version that answers every request not routed elsewhere. */
    CHAMPION,
    /** A challenger answering its weighted share of requests. */
    CANARY,
    /** A challenger receiving mirrored requests whose answers are compared, never returned. */
    SHADOW;

    /** The label value: {@code champion}, {@code canary}, {@code shadow}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
