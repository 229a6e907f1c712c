package dev.flywheel.kubernetes;

import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.flavor.Setting;

/**
 * Settings of the {@code kubernetes} step operator: each step it is given runs as a Kubernetes Job in the Flywheel
 * image. Null keeps the default.
 *
 * @param namespace          where the Jobs run
 * @param masterUrl          the API server; empty = kubeconfig's current context, or the pod's service account
 * @param context            the kubeconfig context; empty = the current one
 * @param token              a bearer token (a {@code {{secret.NAME.KEY}}} reference)
 * @param image              the Flywheel image the step runs in
 * @param serviceAccountName the Job pods' account (S3 credentials through IRSA or a mounted secret)
 * @param cpuRequest         CPU request
 * @param memoryRequest      memory request
 * @param cpuLimit           CPU limit
 * @param memoryLimit        memory limit
 * @param ttlSecondsAfterFinished how long a finished Job stays for inspection before Kubernetes removes it
 */
public record KubernetesJobConfig(
        @Setting(description = "the namespace the Jobs run in", defaultValue = "default") String namespace,
        @Setting(description = "the API server URL; empty = kubeconfig's current context, or the pod's service account") String masterUrl,
        @Setting(description = "the kubeconfig context; empty = the current one") String context,
        @Setting(description = "a bearer token for the API server", secret = true) String token,
        @Setting(description = "the Flywheel image steps run in", defaultValue = KubernetesDeployerConfig.DEFAULT_IMAGE) String image,
        @Setting(description = "service account of the Job pods (carries the S3 credentials)") String serviceAccountName,
        @Setting(description = "CPU request of a step", defaultValue = "1") String cpuRequest,
        @Setting(description = "memory request of a step", defaultValue = "1Gi") String memoryRequest,
        @Setting(description = "CPU limit of a step", defaultValue = "2") String cpuLimit,
        @Setting(description = "memory limit of a step", defaultValue = "2Gi") String memoryLimit,
        @Setting(description = "seconds a finished Job stays for inspection", defaultValue = "86400") Integer ttlSecondsAfterFinished) {

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
    }

    public static KubernetesJobConfig defaults() {
        return new KubernetesJobConfig(null, null, null, null, null, null, null, null, null, null, null);
    }

    public KubernetesJobConfig withNamespace(String ns) {
        return new KubernetesJobConfig(ns, masterUrl, context, token, image, serviceAccountName, cpuRequest, memoryRequest, cpuLimit,
                memoryLimit, ttlSecondsAfterFinished);
    }
}
