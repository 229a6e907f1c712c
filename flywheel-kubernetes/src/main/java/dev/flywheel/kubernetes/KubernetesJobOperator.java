package dev.flywheel.kubernetes;

import dev.flywheel.engine.StepOperator;
import dev.flywheel.kubernetes.internal.Cluster;
import dev.flywheel.kubernetes.internal.JobManifests;
import dev.flywheel.kubernetes.internal.Kinds;
import dev.flywheel.kubernetes.internal.Manifests;
import dev.flywheel.kubernetes.internal.ServingTarget;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The {@code kubernetes} step operator: a step becomes a Job (one pod, {@code restartPolicy: Never},
 * {@code backoffLimit: 0}: Flywheel's own retries decide), its environment a Secret read through {@code envFrom}; the
 * step's outcome follows the Job's {@code Complete}/{@code Failed} conditions, its pod's log is fetched when it ends,
 * and a Job past the step's timeout is deleted with its pod.
 */
public final class KubernetesJobOperator implements StepOperator {
    private static final Logger log = LoggerFactory.getLogger(KubernetesJobOperator.class);
    private final Cluster cluster;
    private final KubernetesJobConfig settings;
    private final Clock clock;
    private final Duration pollInterval;

    public KubernetesJobOperator(io.fabric8.kubernetes.client.KubernetesClient client, KubernetesJobConfig settings, Clock clock,
                                 Duration pollInterval) {
        this.cluster = new Cluster(client, settings.namespace());
        this.settings = settings;
        this.clock = clock;
        this.pollInterval = pollInterval;
    }

    /** The Secret and Job a launch becomes, as YAML, applied nowhere; the Secret's values are masked. */
    public String render(Launch launch) {
        List<GenericKubernetesResource> objects = JobManifests.render(launch, settings);
        for (GenericKubernetesResource o : objects) {
            if (o.getAdditionalProperties().get("data") instanceof Map<?, ?> data) {
                Map<String, Object> masked = new java.util.TreeMap<>();
                data.keySet().forEach(k -> masked.put(k.toString(), "<masked>"));
                o.setAdditionalProperty("data", masked);
            }
        }
        return Manifests.yaml(objects);
    }

    @Override
    public Outcome run(Launch launch) {
        List<GenericKubernetesResource> objects = JobManifests.render(launch, settings);
        String name = JobManifests.jobName(launch);
        for (GenericKubernetesResource o : objects) {
            cluster.apply(o);
        }
        log.info("run={} step={} job={} namespace={} started", launch.runId(), launch.step(), name, cluster.namespace());
        Instant deadline = launch.timeout() == null ? null : clock.instant().plus(launch.timeout());
        ServingTarget.Ref ref = new ServingTarget.Ref(Kinds.JOB, name);
        while (true) {
            GenericKubernetesResource job = cluster.get(ref);
            if (job == null) {
                return new Outcome(false, name, null, "Job " + name + " was deleted outside Flywheel");
            }
            JobManifests.StepPhase phase = JobManifests.phase(job);
            if (phase.finished()) {
                cluster.delete(new ServingTarget.Ref(Kinds.SECRET, name + "-env"));
                return new Outcome(phase.succeeded(), name, null, phase.succeeded() ? null : "Job " + name + ": " + phase.reason());
            }
            if (deadline != null && !clock.instant().isBefore(deadline)) {
                cluster.delete(ref);
                cluster.delete(new ServingTarget.Ref(Kinds.SECRET, name + "-env"));
                return new Outcome(false, name, null, "Job " + name + " ran past the step's timeout of " + launch.timeout().toSeconds()
                        + " s and was deleted with its pod");
            }
            try {
                Thread.sleep(pollInterval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cluster.delete(ref);
                throw new FlywheelException(ErrorCode.UNAVAILABLE, "Interrupted while step " + launch.step() + " ran as Job " + name
                        + "; the Job was deleted");
            }
        }
    }

    /** The log of the step's pod (the last {@code tail} lines), headed by the pod's name. */
    public List<String> logs(Launch launch, int tail) {
        return cluster.logs(Map.of("job-name", JobManifests.jobName(launch)), "step", tail);
    }
}
