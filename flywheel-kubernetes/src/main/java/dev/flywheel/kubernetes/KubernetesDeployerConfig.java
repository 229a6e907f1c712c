package dev.flywheel.kubernetes;

import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.flavor.Setting;

import java.util.List;

/**
 * Settings of the cluster model deployer flavors {@code kserve}, {@code seldon} and {@code kubernetes}
 * ({@code flywheel model-deployer register prod --flavor kserve -s namespace=models -s serviceAccountName=s3-reader}).
 * Null keeps the default. Checked when the component is registered.
 *
 * @param namespace            the namespace the model servers live in
 * @param masterUrl            the API server; empty = the kubeconfig's current context, or the pod's service account in a cluster
 * @param context              the kubeconfig context to use, empty = the current one
 * @param token                a bearer token for the API server (a {@code {{secret.NAME.KEY}}} reference)
 * @param serviceAccountName   the service account of the model server pods: it carries the storage credentials (S3)
 * @param image                the Flywheel image (custom predictor, kubernetes flavor)
 * @param storageUriTemplate   where the cluster reads a version's file; empty = the stack's artifact store blob
 * @param cpuRequest           CPU request of a model server container
 * @param memoryRequest        memory request
 * @param cpuLimit             CPU limit
 * @param memoryLimit          memory limit
 * @param minReplicas          the fewest replicas (the {@code kubernetes} flavor runs this many)
 * @param maxReplicas          the most replicas the autoscaler may run
 * @param canaryTrafficPercent with a value, a replace first sends this share of traffic to the new version
 * @param canaryMode           split (the candidate answers its share) or mirror (it sees a copy, its answers are dropped; seldon)
 * @param inferenceUrl         the base URL clients reach model servers through (an ingress), for prediction URLs
 */
public record KubernetesDeployerConfig(
        @Setting(description = "the namespace the model servers live in", defaultValue = "default") String namespace,
        @Setting(description = "the API server URL; empty = kubeconfig's current context, or the pod's service account") String masterUrl,
        @Setting(description = "the kubeconfig context to use; empty = the current one") String context,
        @Setting(description = "a bearer token for the API server", secret = true) String token,
        @Setting(description = "service account of the model server pods (carries the S3 credentials)") String serviceAccountName,
        @Setting(description = "the Flywheel image for custom predictors and the kubernetes flavor",
                defaultValue = KubernetesDeployerConfig.DEFAULT_IMAGE) String image,
        @Setting(description = "where the cluster reads a version's file, with {model} {version} {sha256} {format}; "
                + "empty = the stack's artifact store blob (s3://...)") String storageUriTemplate,
        @Setting(description = "CPU request of a model server", defaultValue = "500m") String cpuRequest,
        @Setting(description = "memory request of a model server", defaultValue = "512Mi") String memoryRequest,
        @Setting(description = "CPU limit of a model server", defaultValue = "1") String cpuLimit,
        @Setting(description = "memory limit of a model server", defaultValue = "1Gi") String memoryLimit,
        @Setting(description = "the fewest replicas", defaultValue = "1") Integer minReplicas,
        @Setting(description = "the most replicas", defaultValue = "1") Integer maxReplicas,
        @Setting(description = "with a value (1-99), a replace first sends this share of traffic to the new version") Integer canaryTrafficPercent,
        @Setting(description = "split: the candidate answers its share; mirror: it sees a copy (seldon only)", defaultValue = "split")
        CanaryMode canaryMode,
        @Setting(description = "the base URL clients reach model servers through (an ingress); empty = the cluster's own URLs")
        String inferenceUrl) {

    public static final String DEFAULT_IMAGE = "flywheel:0.1.0";
    private static final String QUANTITY = "[0-9]+(\\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?";
    private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";

    /** How a canary candidate takes traffic. */
    public enum CanaryMode { SPLIT, MIRROR }

    public KubernetesDeployerConfig {
        namespace = blankToNull(namespace) == null ? "default" : namespace.strip();
        if (!namespace.matches(DNS_LABEL) || namespace.length() > 63) {
            throw FlywheelException.invalid("namespace '" + namespace + "' is not a Kubernetes namespace name: lower-case letters, digits "
                    + "and '-', at most 63, starting and ending with a letter or digit (e.g. -s namespace=models)");
        }
        masterUrl = blankToNull(masterUrl);
        if (masterUrl != null && !masterUrl.matches("https?://.+")) {
            throw FlywheelException.invalid("masterUrl '" + masterUrl + "' must be an http(s) URL, e.g. https://10.0.0.1:6443");
        }
        context = blankToNull(context);
        token = blankToNull(token);
        serviceAccountName = blankToNull(serviceAccountName);
        if (serviceAccountName != null && !serviceAccountName.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
            throw FlywheelException.invalid("serviceAccountName '" + serviceAccountName + "' is not a Kubernetes name (lower-case, digits, '-', '.')");
        }
        image = blankToNull(image) == null ? DEFAULT_IMAGE : image.strip();
        if (image.contains(" ")) {
            throw FlywheelException.invalid("image '" + image + "' contains a space; give a reference like registry.example.com/flywheel:0.1.0");
        }
        storageUriTemplate = blankToNull(storageUriTemplate);
        if (storageUriTemplate != null && !storageUriTemplate.matches("[a-z][a-z0-9+.-]*://.+")) {
            throw FlywheelException.invalid("storageUriTemplate '" + storageUriTemplate + "' must be a URI the cluster can read, like "
                    + "s3://models/{model}/{version}/");
        }
        cpuRequest = quantity("cpuRequest", cpuRequest, "500m");
        memoryRequest = quantity("memoryRequest", memoryRequest, "512Mi");
        cpuLimit = quantity("cpuLimit", cpuLimit, "1");
        memoryLimit = quantity("memoryLimit", memoryLimit, "1Gi");
        minReplicas = minReplicas == null ? 1 : minReplicas;
        maxReplicas = maxReplicas == null ? Math.max(1, minReplicas) : maxReplicas;
        if (minReplicas < 0) {
            throw FlywheelException.invalid("minReplicas must be >= 0, got " + minReplicas);
        }
        if (maxReplicas < 1 || maxReplicas < minReplicas) {
            throw FlywheelException.invalid("maxReplicas must be >= 1 and >= minReplicas (" + minReplicas + "), got " + maxReplicas);
        }
        if (canaryTrafficPercent != null && (canaryTrafficPercent < 1 || canaryTrafficPercent > 99)) {
            throw FlywheelException.invalid("canaryTrafficPercent must be between 1 and 99 (the new version's share while Flywheel analyses it), got "
                    + canaryTrafficPercent + "; leave it out to switch all traffic at once");
        }
        canaryMode = canaryMode == null ? CanaryMode.SPLIT : canaryMode;
        inferenceUrl = blankToNull(inferenceUrl);
        if (inferenceUrl != null && !inferenceUrl.matches("https?://.+")) {
            throw FlywheelException.invalid("inferenceUrl '" + inferenceUrl + "' must be an http(s) URL, e.g. http://models.example.com");
        }
        if (inferenceUrl != null && inferenceUrl.endsWith("/")) {
            inferenceUrl = inferenceUrl.substring(0, inferenceUrl.length() - 1);
        }
    }

    /** The defaults: namespace {@code default}, one replica, 500m/512Mi requested, 1/1Gi limits, no canary. */
    public static KubernetesDeployerConfig defaults() {
        return new KubernetesDeployerConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public KubernetesDeployerConfig withNamespace(String ns) {
        return new KubernetesDeployerConfig(ns, masterUrl, context, token, serviceAccountName, image, storageUriTemplate, cpuRequest,
                memoryRequest, cpuLimit, memoryLimit, minReplicas, maxReplicas, canaryTrafficPercent, canaryMode, inferenceUrl);
    }

    public KubernetesDeployerConfig withCanary(Integer percent, CanaryMode mode) {
        return new KubernetesDeployerConfig(namespace, masterUrl, context, token, serviceAccountName, image, storageUriTemplate, cpuRequest,
                memoryRequest, cpuLimit, memoryLimit, minReplicas, maxReplicas, percent, mode, inferenceUrl);
    }

    public KubernetesDeployerConfig withServiceAccount(String account) {
        return new KubernetesDeployerConfig(namespace, masterUrl, context, token, account, image, storageUriTemplate, cpuRequest,
                memoryRequest, cpuLimit, memoryLimit, minReplicas, maxReplicas, canaryTrafficPercent, canaryMode, inferenceUrl);
    }

    public KubernetesDeployerConfig withReplicas(int min, int max) {
        return new KubernetesDeployerConfig(namespace, masterUrl, context, token, serviceAccountName, image, storageUriTemplate, cpuRequest,
                memoryRequest, cpuLimit, memoryLimit, min, max, canaryTrafficPercent, canaryMode, inferenceUrl);
    }

    public KubernetesDeployerConfig withStorageUriTemplate(String template) {
        return new KubernetesDeployerConfig(namespace, masterUrl, context, token, serviceAccountName, image, template, cpuRequest,
                memoryRequest, cpuLimit, memoryLimit, minReplicas, maxReplicas, canaryTrafficPercent, canaryMode, inferenceUrl);
    }

    List<String> resourceSummary() {
        return List.of(cpuRequest, memoryRequest, cpuLimit, memoryLimit);
    }

    private static String quantity(String name, String value, String fallback) {
        String v = blankToNull(value) == null ? fallback : value.strip();
        if (!v.matches(QUANTITY)) {
            throw FlywheelException.invalid(name + " '" + v + "' is not a Kubernetes quantity; use e.g. 500m or 2 (CPU), 512Mi or 2Gi (memory)");
        }
        return v;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
