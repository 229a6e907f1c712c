package dev.flywheel.serving.api;

/**
 * What a shadow challenger's mirrored requests came to: how many were mirrored, dropped because the mirror queue was
 * full, and compared with the champion's answers to the same rows.
 *
 * @param mirrored       requests handed to the mirror
 * @param dropped        requests not mirrored because the mirror's queue was full
 * @param compared       rows whose first output both versions answered
 * @param absDiffSum     the sum over those rows of |challenger - champion|
 * @param absChampionSum the sum over those rows of |champion|
 */
public record ShadowStats(long mirrored, long dropped, long compared, double absDiffSum, double absChampionSum) {
    public static final ShadowStats NONE = new ShadowStats(0, 0, 0, 0, 0);

    public ShadowStats minus(ShadowStats earlier) {
        if (earlier == null || earlier.mirrored > mirrored) {
            return this;
        }
        return new ShadowStats(mirrored - earlier.mirrored, dropped - earlier.dropped, compared - earlier.compared,
                absDiffSum - earlier.absDiffSum, absChampionSum - earlier.absChampionSum);
    }

    /**
     * Prediction drift on the same requests: the mean absolute difference relative to the champion's mean absolute
     * answer (0 = identical answers); NaN before any row was compared.
     */
    public double relativeDifference() {
        if (compared == 0) {
            return Double.NaN;
        }
        return absChampionSum == 0 ? (absDiffSum == 0 ? 0 : Double.POSITIVE_INFINITY) : absDiffSum / absChampionSum;
    }
}
