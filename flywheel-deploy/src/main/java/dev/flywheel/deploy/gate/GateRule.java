package dev.flywheel.deploy.gate;

import java.util.Locale;

/**
 * The criterion of continuous deployment: a candidate deploys only if its metric meets the threshold and beats the
 * production version's metric, on the same data, by at least the margin. Lower metric values are better.
 */
final class GateRule {
    private GateRule() {
    }

    static GateDecision decide(String model, DeployIfBetter.Config config, int candidateVersion, double candidate,
                               int productionVersion, double production) {
        String metric = config.metric();
        boolean hasProduction = productionVersion > 0;
        String c = String.format(Locale.ROOT, "%s %.4f", metric, candidate);
        boolean accepted;
        String reason;
        if (Double.isNaN(candidate) || candidate > config.threshold()) {
            accepted = false;
            reason = String.format(Locale.ROOT, "%s > threshold %.4f", c, config.threshold());
        } else if (!hasProduction) {
            accepted = true;
            reason = String.format(Locale.ROOT, "%s <= threshold %.4f and no version is in production", c, config.threshold());
        } else if (candidateVersion == productionVersion) {
            accepted = false;
            reason = "version " + candidateVersion + " is already in production";
        } else {
            double improvement = production - candidate;
            accepted = improvement >= config.minImprovement();
            reason = String.format(Locale.ROOT, "%s %s production v%d (%.4f) by %.4f, %s the required margin %.4f", c,
                    improvement >= 0 ? "beats" : "is worse than", productionVersion, production, Math.abs(improvement),
                    accepted ? "meeting" : "short of", config.minImprovement());
        }
        return new GateDecision(accepted, reason, model, metric, candidateVersion, candidate, productionVersion,
                hasProduction ? production : Double.NaN, config.threshold(), config.minImprovement(), null, null);
    }
}
