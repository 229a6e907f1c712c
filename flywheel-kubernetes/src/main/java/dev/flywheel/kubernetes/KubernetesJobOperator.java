package dev.flywheel.kubernetes;

import dev.flywheel.engine.StepOperator;
import dev.flywheel.engine.run.StepJob;
import dev.flywheel.kubernetes.internal.ApiErrors;
import dev.flywheel.kubernetes.internal.Cluster;
import dev.flywheel.kubernetes.internal.JobExchange;
import dev.flywheel.kubernetes.internal.JobManifests;
import dev.flywheel.kubernetes.internal.JobStart;
import dev.flywheel.kubernetes.internal.Kinds;
import dev.flywheel.kubernetes.internal.Manifests;
import dev.flywheel.kubernetes.internal.ServingTarget;
import dev.flywheel.s3.S3ArtifactStore;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.artifact.ArtifactStore;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code kubernetes} step operator (and the place the {@code kubernetes} orchestrator sends every step): a step
 * attempt becomes a Job (one pod, {@code restartPolicy: Never}, {@code backoffLimit: 0}: Flywheel's own retries
 * decide) running the image's step runner on the attempt's job file, which lives on the volume shared with the pods
 * (or, when the stack's artifact store is S3, travels through the bucket with the result: no shared volume needed);
 * the step's outcome follows the Job's {@code Complete}/{@code Failed} conditions and the result file the step runner
 * wrote; the pod's log is fetched into the step's log; a Job whose pod never starts, or that runs past the step's
 * timeout, is deleted with its pod and the step fails saying why.
 */
public final class KubernetesJobOperator implements StepOperator, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KubernetesJobOperator.class);
    /** Log lines of the pod kept in the step's log. */
    static final int LOG_TAIL = 500;
    private final Cluster cluster;
    private final KubernetesJobConfig settings;
    private final Clock clock;
    /** The stack's S3 artifact store, through which job specs and results travel; null = the shared volume. */
    private final S3ArtifactStore bucket;

    /** A Job runner for the orchestrator of that flavor (API errors name the orchestrator's settings). */
    public KubernetesJobOperator(io.fabric8.kubernetes.client.KubernetesClient client, KubernetesJobConfig settings, Clock clock) {
        this(client, settings, clock, Role.ORCHESTRATOR, null);
    }

    /** Which component's settings make the Jobs; an API error's hint names them. */
    public enum Role { ORCHESTRATOR, STEP_OPERATOR }

    /**
     * @param artifacts the stack's artifact store (may be null): when it is an S3 store, each attempt's job spec and
     *                  result travel through it and the pods mount no shared volume; otherwise they are files under
     *                  {@code sharedPath}
     */
    public KubernetesJobOperator(io.fabric8.kubernetes.client.KubernetesClient client, KubernetesJobConfig settings, Clock clock, Role role,
                                 ArtifactStore artifacts) {
        this.cluster = new Cluster(client, settings.namespace(), switch (role) {
            case ORCHESTRATOR -> ApiErrors.Owner.ORCHESTRATOR;
            case STEP_OPERATOR -> ApiErrors.Owner.STEP_OPERATOR;
        });
        this.settings = settings;
        this.clock = clock;
        this.bucket = artifacts instanceof S3ArtifactStore s3 ? s3 : null;
    }

    @Override
    public void close() {
        cluster.client().close();
    }

    public KubernetesJobConfig settings() {
        return settings;
    }

    /**
     * Where the engine writes each attempt's job and reads its result: under {@code sharedPath}, which the pods mount;
     * with an S3 artifact store, a folder of this machine only (the files are carried through the bucket).
     */
    @Override
    public Path jobFolder() {
        return bucket != null ? Path.of(System.getProperty("java.io.tmpdir"), "flywheel-step-jobs-" + System.getProperty("user.name"))
                : Path.of(settings.sharedPath(), "step-jobs");
    }

    /** The Job a launch becomes, as YAML, applied nowhere. */
    public String render(Launch launch) {
        return Manifests.yaml(List.of(render(launch, List.of())));
    }

    /** The Job of a launch; {@code after} names the steps it waits for (for people reading the manifests). */
    GenericKubernetesResource render(Launch launch, List<String> after) {
        return JobManifests.render(launch, exchange(launch), settings, after);
    }

    private JobExchange exchange(Launch launch) {
        return bucket == null ? new JobExchange.SharedVolume(launch.jobFile())
                : JobExchange.Bucket.of(bucket.root(), launch.runId(), launch.step(), launch.attempt());
    }

    @Override
    public Outcome run(Launch launch) {
        checkVisibleToPods(launch);
        if (!(exchange(launch) instanceof JobExchange.Bucket b)) {
            return runJob(launch);
        }
        try {
            bucket.publish(java.nio.file.Files.readAllBytes(launch.jobFile()), b.jobKey());
        } catch (java.io.IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "cannot read the job file " + launch.jobFile() + " of step " + launch.step()
                    + ": " + e, e);
        }
        try {
            Outcome outcome = runJob(launch);
            // the engine reads the result where it wrote the job; a pod that died first left none, and the outcome says why
            bucket.read(b.resultKey()).ifPresent(result -> writeResult(launch, result));
            return outcome;
        } finally {
            try {
                bucket.deleteFolder(b.folder());
            } catch (FlywheelException e) {
                log.warn("run={} step={} could not delete the step job's objects under {}: {}", launch.runId(), launch.step(),
                        bucket.uriOf(b.folder()), e.getMessage());
            }
        }
    }

    private static void writeResult(Launch launch, byte[] result) {
        Path file = StepJob.read(launch.jobFile()).resultFile();
        try {
            java.nio.file.Files.write(file, result);
        } catch (java.io.IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "cannot write the result of step " + launch.step() + " to " + file + ": " + e, e);
        }
    }

    private Outcome runJob(Launch launch) {
        GenericKubernetesResource rendered = render(launch, List.of());
        String name = rendered.getMetadata().getName();
        ServingTarget.Ref ref = new ServingTarget.Ref(Kinds.JOB, name);
        cluster.apply(rendered);
        log.info("run={} step={} attempt={} job={} namespace={} created", launch.runId(), launch.step(), launch.attempt(), name,
                cluster.namespace());
        Instant created = clock.instant();
        Instant deadline = launch.timeout() == null ? null : created.plus(launch.timeout());
        Instant startDeadline = created.plus(settings.startTimeout());
        boolean started = false;
        while (true) {
            GenericKubernetesResource job = cluster.get(ref);
            if (job == null) {
                return outcome(false, name, "Job " + name + " was deleted outside Flywheel before it ended", null);
            }
            JobManifests.StepPhase phase = JobManifests.phase(job);
            if (phase.finished()) {
                String logText = logs(name);
                log.info("run={} step={} job={} {}", launch.runId(), launch.step(), name, phase.succeeded() ? "complete" : "failed");
                return outcome(phase.succeeded(), name, phase.succeeded() ? null : "Job " + name + ": " + phase.reason(), logText);
            }
            List<Pod> pods = cluster.pods(Map.of("job-name", name));
            started = started || JobStart.started(job, pods);
            Instant now = clock.instant();
            if (!started && !now.isBefore(startDeadline)) {
                String why = JobStart.whyNotStarted(pods, cluster.events(JobStart.involved(name, pods)));
                cluster.deleteWithDependents(ref);
                return outcome(false, name, "Job " + name + " did not start within " + dev.flywheel.sdk.DurationText.format(settings.startTimeout()) + " and was"
                        + " deleted: " + why, null);
            }
            if (deadline != null && !now.isBefore(deadline)) {
                String logText = logs(name);
                cluster.deleteWithDependents(ref);
                return outcome(false, name, "Job " + name + " ran past the step's timeout of " + dev.flywheel.sdk.DurationText.format(launch.timeout())
                        + " and was deleted with its pod", logText);
            }
            try {
                Thread.sleep(settings.pollInterval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cluster.deleteWithDependents(ref);
                throw new FlywheelException(ErrorCode.UNAVAILABLE, "Interrupted while step " + launch.step() + " ran as Job " + name
                        + "; the Job was deleted with its pod");
            }
        }
    }

    private Outcome outcome(boolean succeeded, String name, String reason, String logText) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("kubernetes.namespace", cluster.namespace());
        details.put("kubernetes.job", name);
        return new Outcome(succeeded, name, null, reason, details, logText);
    }

    /** The pod's log, or a line saying why it could not be read (the step's outcome does not depend on it). */
    private String logs(String job) {
        try {
            List<String> lines = cluster.logs(Map.of("job-name", job), JobManifests.CONTAINER, LOG_TAIL);
            return lines.isEmpty() ? "(Job " + job + " has no pod left to read a log from)" : String.join("\n", lines);
        } catch (FlywheelException e) {
            return "(the log of Job " + job + " could not be read: " + e.getMessage() + ")";
        }
    }

    /** The pods see only the shared path: the job file and the artifact store must be under it. */
    private void checkVisibleToPods(Launch launch) {
        if (launch.jobFile() == null) {
            throw FlywheelException.invalid("the kubernetes step operator runs step jobs (StepJob files); this launch of step '"
                    + launch.step() + "' has none");
        }
        if (!launch.environment().isEmpty()) {
            throw FlywheelException.invalid("the kubernetes step operator takes the step's environment from its settings (env, and"
                    + " secretEnv for credentials, read from Kubernetes Secrets), not from the launch: got " + launch.environment().keySet());
        }
        Path shared = Path.of(settings.sharedPath());
        java.net.URI root = StepJob.read(launch.jobFile()).artifactStore();
        if (bucket != null && !root.equals(bucket.root())) {
            throw FlywheelException.invalid("step '" + launch.step() + "' uses the artifact store at " + root + ", but this operator carries"
                    + " job files through the stack's store at " + bucket.root() + "; run it with the stack it was created for");
        }
        if (root.getScheme() != null && !"file".equalsIgnoreCase(root.getScheme())) {
            return; // the step runner opens it itself (s3: credentials through secretEnv, endpoint through env)
        }
        Path store;
        try {
            store = Path.of(root);
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException notAFolder) {
            throw FlywheelException.invalid("the kubernetes step operator needs an artifact store folder under sharedPath " + shared);
        }
        if (!store.toAbsolutePath().normalize().startsWith(shared)) {
            throw FlywheelException.invalid("the pods see only the shared volume at " + shared + " (setting sharedPath), but the stack's"
                    + " artifact store is at " + store + "; register a local artifact store under it (flywheel artifact-store register"
                    + " shared --flavor local -s path=" + shared + "/artifacts) or set sharedPath to a folder that holds the store");
        }
    }
}
