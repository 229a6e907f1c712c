package dev.flywheel.deploy.rollout;

/** Where a rollout is. PROGRESSING and PAUSED are active (the challenger serves); the others are final. */
public enum RolloutState {
    /** Analysed every interval, moving to the next step when the current one passed its pause. */
    PROGRESSING,
    /** Holding its weight without analysis: an inconclusive analysis, or a user's pause. */
    PAUSED,
    /** The challenger became the only version, and the registry's production stage moved to it. */
    PROMOTED,
    /** A user sent all traffic back to the champion. */
    ABORTED,
    /** The analysis failed: all traffic went back to the champion and the version was marked with the reason. */
    FAILED;

    public boolean active() {
        return this == PROGRESSING || this == PAUSED;
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
