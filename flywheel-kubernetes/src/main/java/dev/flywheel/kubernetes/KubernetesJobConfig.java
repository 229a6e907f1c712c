package dev.flywheel.kubernetes;

import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.flavor.Setting;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Settings of the {@code kubernetes} step operator and orchestrator: each step runs as a Kubernetes Job in the
 * Flywheel image. Null keeps the default.
 *
 * @param namespace               where the Jobs run
 * @param masterUrl               the API server; empty = kubeconfig's current context, or the pod's service account
 * @param context                 the kubeconfig context; empty = the current one
 * @param token                   a bearer token (a {@code {{secret.NAME.KEY}}} reference)
 * @param image                   the Flywheel image the step runs in (with the pipeline's jars under {@code pipelineClasspath})
 * @param serviceAccountName      the Job pods' account (S3 credentials through IRSA or a mounted secret)
 * @param cpuRequest              CPU request
 * @param memoryRequest           memory request
 * @param cpuLimit                CPU limit
 * @param memoryLimit             memory limit
 * @param ttlSecondsAfterFinished how long a finished Job stays for inspection before Kubernetes removes it
 * @param sharedPath              the folder both Flywheel and the pods see at the same path: the step jobs are written
 *                                under {@code sharedPath/step-jobs}, and the artifact store folder must be inside it
 * @param sharedVolumeClaim       the PersistentVolumeClaim (ReadWriteMany) mounted at {@code sharedPath} in each pod;
 *                                {@code none} when the nodes provide the path themselves
 * @param pipelineClasspath       where the pipeline's jars are in the image, appended to Flywheel's class path
 * @param env                     plain variables of the step's container, {@code NAME=VALUE}; no credentials
 * @param secretEnv               variables read from Kubernetes Secrets, {@code NAME=SECRET:KEY} (a secretKeyRef):
 *                                PostgreSQL's password, S3's keys; their values never pass through Flywheel
 * @param startTimeout            how long a Job's pod may stay unstarted (unschedulable, image not pulled) before the
 *                                step fails and the Job is deleted
 * @param pollInterval            how often the Job's status is read
 * @param maxParallelism          (orchestrator) Jobs of one run at the same time
 */
public record KubernetesJobConfig(
        @Setting(description = "the namespace the Jobs run in", defaultValue = "default") String namespace,
        @Setting(description = "the API server URL; empty = kubeconfig's current context, or the pod's service account") String masterUrl,
        @Setting(description = "the kubeconfig context; empty = the current one") String context,
        @Setting(description = "a bearer token for the API server", secret = true) String token,
        @Setting(description = "the Flywheel image steps run in (with the pipeline's jars)", defaultValue = KubernetesDeployerConfig.DEFAULT_IMAGE)
        String image,
        @Setting(description = "service account of the Job pods (carries the S3 credentials)") String serviceAccountName,
        @Setting(description = "CPU request of a step", defaultValue = "1") String cpuRequest,
        @Setting(description = "memory request of a step", defaultValue = "1Gi") String memoryRequest,
        @Setting(description = "CPU limit of a step", defaultValue = "2") String cpuLimit,
        @Setting(description = "memory limit of a step", defaultValue = "2Gi") String memoryLimit,
        @Setting(description = "seconds a finished Job stays for inspection", defaultValue = "86400") Integer ttlSecondsAfterFinished,
        @Setting(description = "folder Flywheel and the pods see at the same path; holds the step jobs and the artifact store",
                defaultValue = KubernetesJobConfig.DEFAULT_SHARED_PATH) String sharedPath,
        @Setting(description = "PersistentVolumeClaim mounted at sharedPath in each pod; none = the nodes provide the path",
                defaultValue = KubernetesJobConfig.DEFAULT_CLAIM) String sharedVolumeClaim,
        @Setting(description = "where the pipeline's jars are in the image", defaultValue = KubernetesJobConfig.DEFAULT_PIPELINE_CLASSPATH)
        String pipelineClasspath,
        @Setting(description = "plain variables of the step container, NAME=VALUE,... (no credentials: use secretEnv)") List<String> env,
        @Setting(description = "variables from Kubernetes Secrets, NAME=SECRET:KEY,... (secretKeyRef; e.g. "
                + "FLYWHEEL_DB_PASSWORD=flywheel-stores:db-password)") List<String> secretEnv,
        @Setting(description = "how long a Job's pod may stay unstarted before the step fails", defaultValue = "5m") Duration startTimeout,
        @Setting(description = "how often a Job's status is read", defaultValue = "2s") Duration pollInterval,
        @Setting(description = "orchestrator: Jobs of one run at the same time", defaultValue = "4") Integer maxParallelism) {

    public static final String DEFAULT_SHARED_PATH = "/var/lib/flywheel";
    public static final String DEFAULT_CLAIM = "flywheel-shared";
    public static final String DEFAULT_PIPELINE_CLASSPATH = "/app/pipeline/*";
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern SECRET_REF = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=([a-z0-9]([-a-z0-9.]*[a-z0-9])?):([-._a-zA-Z0-9]+)");
    /** Names that hold credentials: refused as plain values, so none lands in a Job's spec. */
    private static final Pattern CREDENTIAL = Pattern.compile("(?i).*(PASSWORD|SECRET|TOKEN|ACCESS_KEY|CREDENTIAL|PRIVATE).*");

    public KubernetesJobConfig {
        // The deployer settings check namespaces, accounts, images and quantities the same way: reuse them.
        KubernetesDeployerConfig checked = new KubernetesDeployerConfig(namespace, masterUrl, context, token, serviceAccountName, image, null,
                cpuRequest == null ? "1" : cpuRequest, memoryRequest == null ? "1Gi" : memoryRequest, cpuLimit == null ? "2" : cpuLimit,
                memoryLimit == null ? "2Gi" : memoryLimit, null, null, null, null, null);
        namespace = checked.namespace();
        masterUrl = checked.masterUrl();
        context = checked.context();
        token = checked.token();
        image = checked.image();
        serviceAccountName = checked.serviceAccountName();
        cpuRequest = checked.cpuRequest();
        memoryRequest = checked.memoryRequest();
        cpuLimit = checked.cpuLimit();
        memoryLimit = checked.memoryLimit();
        ttlSecondsAfterFinished = ttlSecondsAfterFinished == null ? 86400 : ttlSecondsAfterFinished;
        if (ttlSecondsAfterFinished < 0) {
            throw FlywheelException.invalid("ttlSecondsAfterFinished must be >= 0, got " + ttlSecondsAfterFinished);
        }
        sharedPath = sharedPath == null || sharedPath.isBlank() ? DEFAULT_SHARED_PATH : sharedPath.strip();
        if (!sharedPath.startsWith("/") || sharedPath.contains("..")) {
            throw FlywheelException.invalid("sharedPath '" + sharedPath + "' must be an absolute path without '..' (the same path here and in"
                    + " the pods), e.g. -s sharedPath=/var/lib/flywheel");
        }
        sharedVolumeClaim = sharedVolumeClaim == null || sharedVolumeClaim.isBlank() ? DEFAULT_CLAIM : sharedVolumeClaim.strip();
        if (!sharedVolumeClaim.equals("none") && !sharedVolumeClaim.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
            throw FlywheelException.invalid("sharedVolumeClaim '" + sharedVolumeClaim + "' is not a PersistentVolumeClaim name (lower-case,"
                    + " digits, '-', '.'), nor 'none'");
        }
        pipelineClasspath = pipelineClasspath == null || pipelineClasspath.isBlank() ? DEFAULT_PIPELINE_CLASSPATH : pipelineClasspath.strip();
        env = List.copyOf(env == null ? List.of() : env);
        plainEnv(env);
        secretEnv = List.copyOf(secretEnv == null ? List.of() : secretEnv);
        secretRefs(secretEnv);
        startTimeout = positive("startTimeout", startTimeout, Duration.ofMinutes(5));
        pollInterval = positive("pollInterval", pollInterval, Duration.ofSeconds(2));
        maxParallelism = maxParallelism == null ? 4 : maxParallelism;
        if (maxParallelism < 1) {
            throw FlywheelException.invalid("maxParallelism must be at least 1, got " + maxParallelism);
        }
    }

    public static KubernetesJobConfig defaults() {
        return new KubernetesJobConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null);
    }

    /** The plain variables, in order. */
    public Map<String, String> plainEnvironment() {
        return plainEnv(env);
    }

    /** The Secret-backed variables: name to (secret, key), in order. */
    public Map<String, SecretKey> secretEnvironment() {
        return secretRefs(secretEnv);
    }

    /** One value of a Kubernetes Secret. */
    public record SecretKey(String secret, String key) {
    }

    private static Map<String, String> plainEnv(List<String> entries) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String e : entries) {
            int eq = e.indexOf('=');
            String name = eq < 0 ? e : e.substring(0, eq);
            if (eq < 0 || !ENV_NAME.matcher(name).matches()) {
                throw FlywheelException.invalid("env entry '" + name + "' must be NAME=VALUE with NAME a variable name, e.g. -s env=AWS_REGION=eu-west-1");
            }
            if (CREDENTIAL.matcher(name).matches()) {
                throw FlywheelException.invalid("env " + name + " looks like a credential; plain values are written into the Job's spec."
                        + " Put it in a Kubernetes Secret and give -s secretEnv=" + name + "=SECRET:KEY instead");
            }
            out.put(name, e.substring(eq + 1));
        }
        return out;
    }

    private static Map<String, SecretKey> secretRefs(List<String> entries) {
        Map<String, SecretKey> out = new LinkedHashMap<>();
        for (String e : entries) {
            Matcher m = SECRET_REF.matcher(e.strip());
            if (!m.matches()) {
                throw FlywheelException.invalid("secretEnv entry '" + e.replaceAll("=.*", "=...") + "' must be NAME=SECRET:KEY (a Kubernetes"
                        + " Secret's name and key), e.g. -s secretEnv=FLYWHEEL_DB_PASSWORD=flywheel-stores:db-password");
            }
            out.put(m.group(1), new SecretKey(m.group(2), m.group(4)));
        }
        return out;
    }

    private static Duration positive(String name, Duration d, Duration fallback) {
        Duration v = d == null ? fallback : d;
        if (v.isNegative() || v.isZero()) {
            throw FlywheelException.invalid(name + " must be positive, got " + v);
        }
        return v;
    }
}
