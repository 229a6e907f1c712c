package dev.flywheel.monitor;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.flywheel.sdk.FlywheelException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The drift tests and distances, named as Evidently names them so results and configurations carry over.
 *
 * <p>A method with a p-value ({@link #hasPValue()}) reports drift when the p-value is below the threshold; a
 * distance reports drift when the score is at or above it. Defaults follow Evidently: 0.05 for p-values, 0.1 for
 * distances.
 */
public enum DriftMethod {
    /** Two-sample Kolmogorov-Smirnov test (SciPy's {@code ks_2samp}, method auto); score = D statistic. */
    KS("ks", "Kolmogorov-Smirnov", true, 0.05, true),
    /** First Wasserstein distance divided by the reference's standard deviation (at least 0.001). */
    WASSERSTEIN("wasserstein", "Wasserstein distance (normed)", false, 0.1, true),
    /** Pearson's chi-squared test of the current counts against the reference shares; score = chi-squared. */
    CHI_SQUARED("chisquare", "chi-squared", true, 0.05, false),
    /** Jensen-Shannon distance (natural logarithm) between the reference and current shares. */
    JENSEN_SHANNON("jensenshannon", "Jensen-Shannon distance", false, 0.1, false),
    /** Two-proportion Z-test of the first value's share against the rest; score = z. */
    Z_TEST("z", "proportion Z-test", true, 0.05, false),
    /** Population stability index over Evidently's bins. */
    PSI("psi", "population stability index", false, 0.1, false);

    private final String id;
    private final String title;
    private final boolean pValue;
    private final double defaultThreshold;
    private final boolean numericOnly;

    DriftMethod(String id, String title, boolean pValue, double defaultThreshold, boolean numericOnly) {
        this.id = id;
        this.title = title;
        this.pValue = pValue;
        this.defaultThreshold = defaultThreshold;
        this.numericOnly = numericOnly;
    }

    /** The short name used in JSON, on the command line and by Evidently: {@code ks}, {@code wasserstein}, ... */
    @JsonValue
    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    /** Whether the test yields a p-value (and its threshold is a significance level). */
    public boolean hasPValue() {
        return pValue;
    }

    public double defaultThreshold() {
        return defaultThreshold;
    }

    /** Whether the method needs numbers (it compares distributions along an axis, not counts per value). */
    public boolean numericOnly() {
        return numericOnly;
    }

    /** The drift decision: {@code pValue < threshold} for tests, {@code score >= threshold} for distances. */
    public boolean drifted(double score, double pValue, double threshold) {
        return this.pValue ? pValue < threshold : score >= threshold;
    }

    /** The method named {@code name} ({@link #id()} or the enum name, any case; also {@code chi2} and {@code js}). */
    public static DriftMethod parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (DriftMethod m : values()) {
            if (m.id.equals(n) || m.name().toLowerCase(Locale.ROOT).equals(n)) {
                return m;
            }
        }
        return switch (n) {
            case "chi2", "chi_square", "chisquared" -> CHI_SQUARED;
            case "js" -> JENSEN_SHANNON;
            case "ztest" -> Z_TEST;
            default -> throw FlywheelException.invalid("unknown drift method '" + name + "'; use one of "
                    + Arrays.stream(values()).map(DriftMethod::id).collect(Collectors.joining(", ")));
        };
    }
}
