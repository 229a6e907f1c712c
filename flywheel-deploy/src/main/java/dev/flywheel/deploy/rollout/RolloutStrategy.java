package dev.flywheel.deploy.rollout;

/** How a challenger meets live traffic. */
public enum RolloutStrategy {
    /** It answers a growing share of client keys, step by step. */
    CANARY,
    /** It receives every request mirrored; its answers are compared with the champion's, never returned. */
    SHADOW;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
