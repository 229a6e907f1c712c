package dev.flywheel.kubernetes.internal;

import dev.flywheel.engine.StepOperator;
import dev.flywheel.kubernetes.KubernetesJobConfig;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A step as a Kubernetes Job: one pod, never restarted in place (Flywheel's own retries decide), the step's command in
 * the Flywheel image, its environment (where the stores are, credentials) in a Secret the pod reads with
 * {@code envFrom}, so no value appears in the Job's spec or in {@code kubectl describe}.
 */
public final class JobManifests {
    public static final String RUN_LABEL = "flywheel.dev/run";
    public static final String STEP_LABEL = "flywheel.dev/step";

    private JobManifests() {
    }

    /** The Job's name: the step and the run id's first 8 characters, a DNS-1123 label. */
    public static String jobName(StepOperator.Launch launch) {
        String run = launch.runId().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return ObjectNames.dns(launch.step(), 52) + "-" + run.substring(0, Math.min(8, run.length()));
    }

    public static List<GenericKubernetesResource> render(StepOperator.Launch launch, KubernetesJobConfig s) {
        String name = jobName(launch);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Manifests.MANAGED_BY, "flywheel");
        labels.put(RUN_LABEL, ObjectNames.dns(launch.runId(), 63));
        labels.put(STEP_LABEL, ObjectNames.dns(launch.step(), 63));
        List<GenericKubernetesResource> out = new ArrayList<>();
        Map<String, Object> data = new TreeMap<>();
        launch.environment().forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        out.add(object(Kinds.SECRET, name + "-env", s.namespace(), labels, Obj.of("type", "Opaque", "data", data)));
        Map<String, Object> container = Obj.of(
                "name", "step",
                "image", s.image(),
                "command", launch.command(),
                "envFrom", data.isEmpty() ? null : List.of(Obj.of("secretRef", Obj.of("name", name + "-env"))),
                "resources", Obj.of("requests", Obj.of("cpu", s.cpuRequest(), "memory", s.memoryRequest()),
                        "limits", Obj.of("cpu", s.cpuLimit(), "memory", s.memoryLimit())));
        Map<String, Object> spec = Obj.of(
                "backoffLimit", 0,
                "activeDeadlineSeconds", launch.timeout() == null ? null : Math.max(1, launch.timeout().toSeconds()),
                "ttlSecondsAfterFinished", s.ttlSecondsAfterFinished(),
                "template", Obj.of(
                        "metadata", Obj.of("labels", labels),
                        "spec", Obj.of(
                                "restartPolicy", "Never",
                                "serviceAccountName", s.serviceAccountName(),
                                "containers", List.of(container))));
        out.add(object(Kinds.JOB, name, s.namespace(), labels, Obj.of("spec", spec)));
        return out;
    }

    private static GenericKubernetesResource object(Kinds kind, String name, String namespace, Map<String, String> labels,
                                                    Map<String, Object> body) {
        GenericKubernetesResource o = new GenericKubernetesResource();
        o.setApiVersion(kind.apiVersion());
        o.setKind(kind.kind());
        o.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).withLabels(new LinkedHashMap<>(labels)).build());
        body.forEach(o::setAdditionalProperty);
        return o;
    }

    /** Complete=True, Failed=True (with the cluster's reason), or still running. */
    public static StepPhase phase(GenericKubernetesResource job) {
        for (var c : ServingTarget.conditions(job)) {
            if (c.status().equals("True") && (c.type().equals("Complete") || c.type().equals("SuccessCriteriaMet"))) {
                return new StepPhase(true, true, null);
            }
            if (c.status().equals("True") && (c.type().equals("Failed") || c.type().equals("FailureTarget"))) {
                return new StepPhase(true, false, c.describe());
            }
        }
        return new StepPhase(false, false, null);
    }

    /** Whether a Job has ended and how. */
    public record StepPhase(boolean finished, boolean succeeded, String reason) {
    }
}
