package dev.flywheel.deploy.gate;

/**
 * What the deployment gate decided and why, with the numbers it decided on. Stored as the gate step's output and in
 * its step metadata.
 *
 * @param accepted          whether the candidate was deployed (and promoted to production)
 * @param reason            one line a person reads: {@code "rmse 41.20 beats production v3 (45.90) by 4.70 >= 1.00"}
 * @param model             the model's name
 * @param metric            the metric compared ({@code rmse}, {@code mae}); lower is better
 * @param candidateVersion  the newly trained version
 * @param candidateValue    its metric on the evaluation data
 * @param productionVersion the production version it was compared with, or 0 when there was none
 * @param productionValue   that version's metric on the same data, or NaN when there was none
 * @param threshold         the candidate's metric must be at most this
 * @param minImprovement    and lower than production's by at least this
 * @param serviceId         the service that serves the candidate when accepted, else null
 * @param predictionUrl     its prediction URL when accepted, else null
 */
public record GateDecision(boolean accepted, String reason, String model, String metric, int candidateVersion, double candidateValue,
                           int productionVersion, double productionValue, double threshold, double minImprovement,
                           String serviceId, String predictionUrl) {

    /** The same decision once the candidate serves. */
    public GateDecision deployed(String service, String url) {
        return new GateDecision(accepted, reason, model, metric, candidateVersion, candidateValue, productionVersion, productionValue,
                threshold, minImprovement, service, url);
    }

    @Override
    public String toString() {
        return (accepted ? "ACCEPTED " : "REJECTED ") + model + " v" + candidateVersion + ": " + reason;
    }
}
