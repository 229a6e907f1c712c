package dev.flywheel.monitor.internal;

/**
 * The population stability index over Evidently's bins: sum of (ref - cur) * ln(ref / cur) over the shares of each
 * bin, empty bins filled first ({@link Shares#withEmptyBinsFilled()}).
 */
public final class PopulationStability {
    private PopulationStability() {
    }

    public static double index(Shares shares) {
        Shares s = shares.withEmptyBinsFilled();
        double psi = 0;
        for (int i = 0; i < s.reference().length; i++) {
            double r = s.reference()[i];
            double c = s.current()[i];
            psi += (r - c) * Math.log(r / c);
        }
        return psi;
    }
}
