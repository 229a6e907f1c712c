package dev.flywheel.deploy.rollout;

/** What one check, or one analysis, concluded. */
public enum Verdict {
    PASS,
    FAIL,
    /** Too few samples to judge: the rollout pauses rather than guess. */
    INCONCLUSIVE;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
