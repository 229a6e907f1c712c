package dev.flywheel.kubernetes.internal;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether a Job's pod has started, and if not, why, in the cluster's words: a pod that cannot be scheduled, an image
 * that cannot be pulled, a Secret the container's variables name that does not exist, or no pod at all (quota).
 */
public final class JobStart {
    private JobStart() {
    }

    /** A pod of the Job runs or ran, or the Job counts one that did. */
    public static boolean started(GenericKubernetesResource job, List<Pod> pods) {
        Object status = job.getAdditionalProperties().get("status");
        for (String counter : List.of("succeeded", "failed", "ready")) {
            Object v = Obj.map(status).get(counter);
            if (v instanceof Number n && n.longValue() > 0) {
                return true;
            }
        }
        return pods.stream().anyMatch(p -> p.getStatus() != null && p.getStatus().getPhase() != null
                && List.of("Running", "Succeeded", "Failed").contains(p.getStatus().getPhase()));
    }

    /** The objects whose events explain a Job that did not start: the Job and its pods. */
    public static Set<String> involved(String job, List<Pod> pods) {
        Set<String> names = new LinkedHashSet<>();
        names.add(job);
        pods.forEach(p -> names.add(p.getMetadata().getName()));
        return names;
    }

    /** Why no pod of the Job runs: each pod's waiting reasons and unmet conditions, then the events. */
    public static String whyNotStarted(List<Pod> pods, List<String> events) {
        List<String> reasons = new ArrayList<>();
        if (pods.isEmpty()) {
            reasons.add("no pod was created (a quota, an admission webhook or a missing service account; see the events)");
        }
        for (Pod p : pods) {
            String name = "pod " + p.getMetadata().getName();
            int before = reasons.size();
            if (p.getStatus() == null) {
                reasons.add(name + " has no status yet (no node took it)");
                continue;
            }
            for (PodCondition c : p.getStatus().getConditions() == null ? List.<PodCondition>of() : p.getStatus().getConditions()) {
                if ("False".equals(c.getStatus()) && c.getReason() != null) {
                    reasons.add(name + " " + c.getType() + "=False (" + c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage()) + ")");
                }
            }
            for (ContainerStatus s : p.getStatus().getContainerStatuses() == null ? List.<ContainerStatus>of()
                    : p.getStatus().getContainerStatuses()) {
                if (s.getState() != null && s.getState().getWaiting() != null) {
                    var w = s.getState().getWaiting();
                    reasons.add(name + " container " + s.getName() + " waiting (" + w.getReason()
                            + (w.getMessage() == null ? "" : ": " + w.getMessage()) + ")");
                }
            }
            if (reasons.size() == before) {
                reasons.add(name + " is " + p.getStatus().getPhase());
            }
        }
        String text = String.join("; ", reasons);
        if (!events.isEmpty()) {
            text += ". Events: " + String.join(" | ", events.subList(Math.max(0, events.size() - 5), events.size()));
        }
        return text;
    }
}
