package dev.flywheel.serving.api;

/**
 * What {@code GET /admin/traffic} answers (and every {@code POST}): the routing in force and the counters of each
 * version in its role.
 *
 * @param modelName  the served model
 * @param mode       the routing
 * @param weight     the challenger's percentage (0 when {@link TrafficMode#SINGLE})
 * @param champion   the champion's counters
 * @param challenger the challenger's counters in its role, or null when {@link TrafficMode#SINGLE}
 * @param shadow     the mirror's counters ({@link ShadowStats#NONE} unless shadowing)
 */
public record TrafficReport(String modelName, TrafficMode mode, int weight, RoleStats champion, RoleStats challenger, ShadowStats shadow) {
    public TrafficReport {
        shadow = shadow == null ? ShadowStats.NONE : shadow;
    }

    /** The challenger's version, or 0 when there is none. */
    public int challengerVersion() {
        return challenger == null ? 0 : challenger.version();
    }
}
