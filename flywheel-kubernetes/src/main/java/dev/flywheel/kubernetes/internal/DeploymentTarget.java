package dev.flywheel.kubernetes.internal;

import dev.flywheel.deploy.service.ServiceDetails.Condition;
import dev.flywheel.kubernetes.FlywheelImage;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code kubernetes}: the Flywheel prediction server as a plain Deployment and Service, for clusters without KServe.
 * KServe's storage initializer runs as an init container to fetch the version's file; a rolling update with
 * {@code maxUnavailable: 0} only removes an old pod once a new one answers {@code /v2/health/ready}, so a replace
 * drops no capacity. No canary: traffic follows ready pods (use kserve or seldon for a traffic split).
 */
public record DeploymentTarget() implements ServingTarget {
    public static final String FLAVOR = "kubernetes";

    @Override
    public String flavor() {
        return FLAVOR;
    }

    @Override
    public List<GenericKubernetesResource> render(Rendering r) {
        var s = r.settings();
        Map<String, String> selector = Map.of(Manifests.SERVICE_LABEL, r.service().toString());
        Map<String, Object> podSpec = Obj.of(
                "serviceAccountName", s.serviceAccountName(),
                "initContainers", List.of(Obj.of(
                        "name", "storage-initializer",
                        "image", FlywheelImage.STORAGE_INITIALIZER,
                        "args", List.of(r.storageUri(), FlywheelImage.MODEL_DIR),
                        "resources", Obj.of("requests", Obj.of("cpu", "100m", "memory", "100Mi"),
                                "limits", Obj.of("cpu", "1", "memory", "1Gi")),
                        "volumeMounts", List.of(Obj.of("name", "model", "mountPath", FlywheelImage.MODEL_DIR)))),
                "containers", List.of(withModelMount(Manifests.serverContainer(r, "server", false))),
                "volumes", List.of(emptyDir("model"), Manifests.signatureVolume(r.objectName())));
        Map<String, Object> deployment = Obj.of("spec", Obj.of(
                "replicas", s.minReplicas(),
                "selector", Obj.of("matchLabels", selector),
                "strategy", Obj.of("type", "RollingUpdate", "rollingUpdate", Obj.of("maxUnavailable", 0, "maxSurge", 1)),
                "template", Obj.of(
                        "metadata", Obj.of("labels", Manifests.labels(r)),
                        "spec", podSpec)));
        Map<String, Object> service = Obj.of("spec", Obj.of(
                "type", "ClusterIP",
                "selector", selector,
                "ports", List.of(Obj.of("name", "http", "port", FlywheelImage.SERVER_PORT, "targetPort", "http", "protocol", "TCP"))));
        return List.of(Manifests.signatureConfigMap(r),
                Manifests.object(Kinds.DEPLOYMENT, r.objectName(), r, deployment),
                Manifests.object(Kinds.SERVICE, r.objectName(), r, service));
    }

    /** An emptyDir volume: {@code emptyDir: {}} is kept, which {@link Obj#of} would drop as empty. */
    private static Map<String, Object> emptyDir(String name) {
        Map<String, Object> v = new java.util.LinkedHashMap<>();
        v.put("name", name);
        v.put("emptyDir", new java.util.LinkedHashMap<>());
        return v;
    }

    private static Map<String, Object> withModelMount(Map<String, Object> container) {
        List<Object> mounts = new java.util.ArrayList<>(Obj.list(container.get("volumeMounts")));
        mounts.add(Obj.of("name", "model", "mountPath", FlywheelImage.MODEL_DIR, "readOnly", true));
        container.put("volumeMounts", mounts);
        return container;
    }

    @Override
    public List<Ref> owned(String objectName) {
        return List.of(new Ref(Kinds.SERVICE, objectName), new Ref(Kinds.DEPLOYMENT, objectName),
                new Ref(Kinds.CONFIG_MAP, objectName + "-signature"));
    }

    @Override
    public Ref main(String objectName) {
        return new Ref(Kinds.DEPLOYMENT, objectName);
    }

    @Override
    public Observation observe(String objectName, Rendering context, Function<Ref, GenericKubernetesResource> get) {
        GenericKubernetesResource d = get.apply(new Ref(Kinds.DEPLOYMENT, objectName));
        if (d == null) {
            return Observation.missing("Deployment " + objectName);
        }
        String url = context.settings().inferenceUrl() != null ? context.settings().inferenceUrl()
                : "http://" + objectName + "." + context.namespace() + ".svc.cluster.local:" + FlywheelImage.SERVER_PORT;
        List<Condition> conditions = ServingTarget.conditions(d);
        Map<String, Object> props = d.getAdditionalProperties();
        long want = orZero(Obj.number(Obj.at(props, "spec", "replicas")));
        long updated = orZero(Obj.number(Obj.at(props, "status", "updatedReplicas")));
        long available = orZero(Obj.number(Obj.at(props, "status", "availableReplicas")));
        long total = orZero(Obj.number(Obj.at(props, "status", "replicas")));
        String what = "Deployment " + objectName;
        for (Condition c : conditions) {
            if (c.type().equals("Progressing") && c.status().equals("False")) {
                return new Observation(Observation.Phase.FAILED, url, conditions, what + ": " + c.describe());
            }
            if (c.type().equals("ReplicaFailure") && c.status().equals("True")) {
                return new Observation(Observation.Phase.FAILED, url, conditions, what + ": " + c.describe());
            }
        }
        if (!ServingTarget.observedLatest(d)) {
            return new Observation(Observation.Phase.PENDING, url, conditions, what + " is not ready: the controller has not seen the latest spec yet");
        }
        // As `kubectl rollout status` decides: every replica updated and available, no old one left.
        if (updated >= want && available >= want && total <= updated) {
            return new Observation(Observation.Phase.READY, url, conditions, null);
        }
        return new Observation(Observation.Phase.PENDING, url, conditions, what + " is not ready: " + updated + " of " + want
                + " replicas updated, " + available + " available");
    }

    private static long orZero(Long n) {
        return n == null ? 0 : n;
    }

    @Override
    public Map<String, String> podSelector(String objectName, Rendering context) {
        return Map.of(Manifests.SERVICE_LABEL, context.service().toString());
    }

    @Override
    public String logContainer() {
        return "server";
    }

    @Override
    public Integer canaryPercent(String objectName, Function<Ref, GenericKubernetesResource> get) {
        return null;
    }
}
