package dev.flywheel.kubernetes.internal;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** The API resources Flywheel writes, with their REST plural (the client is told, so no discovery is needed). */
public enum Kinds {
    INFERENCE_SERVICE("serving.kserve.io", "v1beta1", "InferenceService", "inferenceservices"),
    SELDON_MODEL("mlops.seldon.io", "v1alpha1", "Model", "models"),
    SELDON_EXPERIMENT("mlops.seldon.io", "v1alpha1", "Experiment", "experiments"),
    DEPLOYMENT("apps", "v1", "Deployment", "deployments"),
    SERVICE("", "v1", "Service", "services"),
    CONFIG_MAP("", "v1", "ConfigMap", "configmaps"),
    JOB("batch", "v1", "Job", "jobs"),
    SECRET("", "v1", "Secret", "secrets");

    private final String group;
    private final String version;
    private final String kind;
    private final String plural;

    Kinds(String group, String version, String kind, String plural) {
        this.group = group;
        this.version = version;
        this.kind = kind;
        this.plural = plural;
    }

    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    public String kind() {
        return kind;
    }

    public String group() {
        return group;
    }

    public String plural() {
        return plural;
    }

    public ResourceDefinitionContext context() {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind).withPlural(plural)
                .withNamespaced(true).build();
    }

    public static Kinds of(String apiVersion, String kind) {
        for (Kinds k : values()) {
            if (k.apiVersion().equals(apiVersion) && k.kind.equals(kind)) {
                return k;
            }
        }
        throw new IllegalArgumentException("Flywheel does not manage " + apiVersion + " " + kind);
    }
}
