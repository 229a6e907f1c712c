package dev.flywheel.kubernetes.internal;

import dev.flywheel.engine.StepOperator;
import dev.flywheel.kubernetes.FlywheelImage;
import dev.flywheel.kubernetes.KubernetesJobConfig;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A step attempt as a Kubernetes Job: one pod, never restarted in place (Flywheel's own retries decide), running the
 * image's step runner on the attempt's job file (on the shared volume, or in the S3 artifact store: {@link JobExchange}), its credentials read from Kubernetes Secrets
 * through {@code secretKeyRef}, so no value appears in the Job's spec or in {@code kubectl describe}.
 */
public final class JobManifests {
    public static final String RUN_LABEL = "flywheel.dev/run";
    public static final String STEP_LABEL = "flywheel.dev/step";
    public static final String PIPELINE_ANNOTATION = "flywheel.dev/pipeline";
    public static final String AFTER_ANNOTATION = "flywheel.dev/after";
    public static final String CONTAINER = "step";
    static final String SHARED_VOLUME = "flywheel-shared";

    private JobManifests() {
    }

    /**
     * The Job's name: the step, the run id's first 8 characters and the attempt, a DNS-1123 label of at most 63
     * characters (the {@code job-name} label Kubernetes puts on the pod holds it).
     */
    public static String jobName(StepOperator.Launch launch) {
        String run = launch.runId().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        String suffix = "-" + run.substring(0, Math.min(8, run.length())) + "-" + launch.attempt();
        return ObjectNames.dns(launch.step(), 63 - suffix.length()) + suffix;
    }

    /**
     * The Job of one attempt.
     *
     * @param after the steps this one waits for (an annotation for people reading the manifests)
     */
    public static GenericKubernetesResource render(StepOperator.Launch launch, JobExchange exchange, KubernetesJobConfig s, List<String> after) {
        String name = jobName(launch);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Manifests.MANAGED_BY, "flywheel");
        labels.put(RUN_LABEL, ObjectNames.dns(launch.runId(), 63));
        labels.put(STEP_LABEL, ObjectNames.dns(launch.step(), 63));
        List<Object> env = new ArrayList<>();
        env.add(Obj.of("name", "FLYWHEEL_RUN_ID", "value", launch.runId()));
        env.add(Obj.of("name", "FLYWHEEL_STEP", "value", launch.step()));
        s.plainEnvironment().forEach((k, v) -> env.add(Obj.of("name", k, "value", v)));
        s.secretEnvironment().forEach((k, ref) -> env.add(Obj.of("name", k, "valueFrom",
                Obj.of("secretKeyRef", Obj.of("name", ref.secret(), "key", ref.key())))));
        boolean volume = exchange instanceof JobExchange.SharedVolume && !s.sharedVolumeClaim().equals("none");
        List<String> command = switch (exchange) {
            case JobExchange.SharedVolume v -> FlywheelImage.stepCommand(s.pipelineClasspath(), v.jobFile().toString());
            case JobExchange.Bucket b -> FlywheelImage.bucketStepCommand(s.pipelineClasspath(), b.root().toString(), b.folder());
        };
        Map<String, Object> container = Obj.of(
                "name", CONTAINER,
                "image", s.image(),
                "command", command,
                "env", env,
                "resources", Obj.of("requests", Obj.of("cpu", s.cpuRequest(), "memory", s.memoryRequest()),
                        "limits", Obj.of("cpu", s.cpuLimit(), "memory", s.memoryLimit())),
                "volumeMounts", volume ? List.of(Obj.of("name", SHARED_VOLUME, "mountPath", s.sharedPath())) : null);
        Map<String, Object> podSpec = Obj.of(
                "restartPolicy", "Never",
                "serviceAccountName", s.serviceAccountName(),
                // the image's user; the shared volume's files become writable by its group
                "securityContext", Obj.of("runAsNonRoot", true, "fsGroup", FlywheelImage.USER_ID),
                "containers", List.of(container),
                "volumes", volume ? List.of(Obj.of("name", SHARED_VOLUME, "persistentVolumeClaim", Obj.of("claimName", s.sharedVolumeClaim())))
                        : null);
        Map<String, Object> spec = Obj.of(
                "backoffLimit", 0,
                "activeDeadlineSeconds", launch.timeout() == null ? null : Math.max(1, launch.timeout().toSeconds()),
                "ttlSecondsAfterFinished", s.ttlSecondsAfterFinished(),
                "template", Obj.of(
                        "metadata", Obj.of("labels", labels),
                        "spec", podSpec));
        GenericKubernetesResource job = new GenericKubernetesResource();
        job.setApiVersion(Kinds.JOB.apiVersion());
        job.setKind(Kinds.JOB.kind());
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(PIPELINE_ANNOTATION, launch.pipeline());
        if (!after.isEmpty()) {
            annotations.put(AFTER_ANNOTATION, String.join(",", after));
        }
        job.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(s.namespace()).withLabels(new LinkedHashMap<>(labels))
                .withAnnotations(annotations).build());
        job.setAdditionalProperty("spec", spec);
        return job;
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
