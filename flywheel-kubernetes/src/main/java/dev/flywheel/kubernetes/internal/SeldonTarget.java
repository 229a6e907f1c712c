package dev.flywheel.kubernetes.internal;

import dev.flywheel.kubernetes.KubernetesDeployerConfig.CanaryMode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code seldon}: a Seldon Core 2 {@code mlops.seldon.io/v1alpha1} Model per service; Seldon schedules it onto a
 * Server whose capabilities meet the Model's {@code requirements} (onnx, xgboost; other formats need a Server that
 * runs the Flywheel image and declares the capability {@code flywheel}). A canary keeps the Model on the serving
 * version, adds a candidate Model and an Experiment on the Model's endpoint that splits (or mirrors) traffic.
 */
public record SeldonTarget() implements ServingTarget {
    public static final String FLAVOR = "seldon";

    @Override
    public String flavor() {
        return FLAVOR;
    }

    static String requirement(String format) {
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "onnx" -> "onnx";
            case "xgboost" -> "xgboost";
            default -> "flywheel";
        };
    }

    static String candidateName(String objectName) {
        return objectName + "-candidate";
    }

    private static GenericKubernetesResource model(Rendering r, String name, String storageUri, String format) {
        var s = r.settings();
        return Manifests.object(Kinds.SELDON_MODEL, name, r, Obj.of("spec", Obj.of(
                "storageUri", storageUri,
                "requirements", List.of(requirement(format)),
                "memory", s.memoryRequest(),
                "replicas", s.minReplicas(),
                "minReplicas", s.minReplicas(),
                "maxReplicas", s.maxReplicas())));
    }

    @Override
    public List<GenericKubernetesResource> render(Rendering r) {
        if (r.canary() == null || r.canary().percent() == 100) {
            return List.of(model(r, r.objectName(), r.storageUri(), r.model().format()));
        }
        var c = r.canary();
        String candidate = candidateName(r.objectName());
        Rendering previous = new Rendering(r.objectName(), r.service(), c.previous(), c.previousStorageUri(), r.settings(), null);
        List<GenericKubernetesResource> out = new ArrayList<>();
        out.add(model(previous, r.objectName(), c.previousStorageUri(), c.previous().format()));
        out.add(model(r, candidate, r.storageUri(), r.model().format()));
        Map<String, Object> spec = c.mode() == CanaryMode.MIRROR
                ? Obj.of("default", r.objectName(), "resourceType", "model",
                        "candidates", List.of(Obj.of("name", r.objectName(), "weight", 100)),
                        "mirror", Obj.of("name", candidate, "percent", c.percent()))
                : Obj.of("default", r.objectName(), "resourceType", "model",
                        "candidates", List.of(Obj.of("name", r.objectName(), "weight", 100 - c.percent()),
                                Obj.of("name", candidate, "weight", c.percent())));
        out.add(Manifests.object(Kinds.SELDON_EXPERIMENT, r.objectName(), r, Obj.of("spec", spec)));
        return out;
    }

    @Override
    public List<Ref> owned(String objectName) {
        return List.of(new Ref(Kinds.SELDON_EXPERIMENT, objectName), new Ref(Kinds.SELDON_MODEL, candidateName(objectName)),
                new Ref(Kinds.SELDON_MODEL, objectName));
    }

    @Override
    public Ref main(String objectName) {
        return new Ref(Kinds.SELDON_MODEL, objectName);
    }

    @Override
    public Observation observe(String objectName, Rendering context, Function<Ref, GenericKubernetesResource> get) {
        GenericKubernetesResource model = get.apply(new Ref(Kinds.SELDON_MODEL, objectName));
        if (model == null) {
            return Observation.missing("Model " + objectName);
        }
        String url = context.settings().inferenceUrl() != null ? context.settings().inferenceUrl()
                : "http://seldon-mesh." + context.namespace() + ".svc.cluster.local";
        Observation main = ServingTarget.fromReadyCondition(model, "Ready", url, "Model " + objectName);
        GenericKubernetesResource candidate = get.apply(new Ref(Kinds.SELDON_MODEL, candidateName(objectName)));
        GenericKubernetesResource experiment = get.apply(new Ref(Kinds.SELDON_EXPERIMENT, objectName));
        for (var other : new GenericKubernetesResource[]{candidate, experiment}) {
            if (main.phase() != Observation.Phase.READY || other == null) {
                continue;
            }
            Observation o = ServingTarget.fromReadyCondition(other, "Ready", url, other.getKind() + " " + other.getMetadata().getName());
            if (o.phase() != Observation.Phase.READY) {
                List<dev.flywheel.deploy.service.ServiceDetails.Condition> all = new ArrayList<>(main.conditions());
                all.addAll(o.conditions());
                return new Observation(o.phase(), url, all, o.message());
            }
        }
        return main;
    }

    @Override
    public Map<String, String> podSelector(String objectName, Rendering context) {
        return null;
    }

    @Override
    public String logContainer() {
        return null;
    }

    @Override
    public Integer canaryPercent(String objectName, Function<Ref, GenericKubernetesResource> get) {
        GenericKubernetesResource experiment = get.apply(new Ref(Kinds.SELDON_EXPERIMENT, objectName));
        if (experiment == null) {
            return null;
        }
        Long mirror = Obj.number(Obj.at(experiment.getAdditionalProperties(), "spec", "mirror", "percent"));
        if (mirror != null) {
            return mirror.intValue();
        }
        for (Object c : Obj.list(Obj.at(experiment.getAdditionalProperties(), "spec", "candidates"))) {
            if (candidateName(objectName).equals(Obj.map(c).get("name"))) {
                Long w = Obj.number(Obj.map(c).get("weight"));
                return w == null ? null : w.intValue();
            }
        }
        return null;
    }
}
