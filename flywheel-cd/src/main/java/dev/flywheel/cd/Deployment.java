package dev.flywheel.cd;

import java.util.List;

/**
 * What the plain deployer step did.
 *
 * @param model         the model's name
 * @param version       the version deployed
 * @param promoted      whether it was promoted to production (and production rolled out)
 * @param serviceId     the service that serves it
 * @param predictionUrl where to send predictions
 * @param rollout       one line per other service production was rolled out to
 */
public record Deployment(String model, int version, boolean promoted, String serviceId, String predictionUrl, List<String> rollout) {
    public Deployment {
        rollout = rollout == null ? List.of() : List.copyOf(rollout);
    }
}
