package dev.flywheel.kubernetes.internal;

import dev.flywheel.deploy.service.ServiceDetails.Condition;

import java.util.List;

/**
 * What the cluster says about a service's objects now.
 *
 * @param phase      ready, still starting, failed, or gone
 * @param url        the URL the cluster reports or Flywheel derives, or null
 * @param conditions the main object's conditions
 * @param message    why it is not ready (the failing condition), or null
 */
public record Observation(Phase phase, String url, List<Condition> conditions, String message) {
    public enum Phase { READY, PENDING, FAILED, MISSING }

    public Observation {
        conditions = List.copyOf(conditions);
    }

    static Observation missing(String what) {
        return new Observation(Phase.MISSING, null, List.of(), what + " does not exist in the cluster");
    }
}
