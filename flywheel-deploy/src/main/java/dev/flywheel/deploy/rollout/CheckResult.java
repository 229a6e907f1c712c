package dev.flywheel.deploy.rollout;

/**
 * One check of one analysis, with its numbers.
 *
 * @param check     {@code error_rate}, {@code p99_ms} or {@code prediction_drift}
 * @param value     what was measured (NaN when nothing could be)
 * @param threshold the most it may be
 * @param samples   the requests or rows it was measured on
 * @param verdict   pass, fail, or inconclusive (fewer samples than the minimum)
 */
public record CheckResult(String check, double value, double threshold, long samples, Verdict verdict) {
    public String describe() {
        return check + " " + (Double.isNaN(value) ? "n/a" : String.format(java.util.Locale.ROOT, "%.4g", value)) + " (max "
                + String.format(java.util.Locale.ROOT, "%.4g", threshold) + ", " + samples + " samples): " + verdict.label();
    }
}
