package dev.flywheel.kubernetes.internal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code kserve}: one {@code serving.kserve.io/v1beta1} InferenceService per service. ONNX and XGBoost run on KServe's
 * own runtimes ({@code modelFormat}); any other format runs on the Flywheel image as a custom predictor container
 * (with its signature in a ConfigMap). Always Open Inference Protocol v2. A replace changes the InferenceService in
 * place; a canary sets {@code canaryTrafficPercent}, which KServe applies between the last ready and the new revision.
 */
public record KServeTarget() implements ServingTarget {
    public static final String FLAVOR = "kserve";
    /** Model formats KServe serves with its own runtimes, by Flywheel format name. */
    static final Map<String, String> RUNTIME_FORMATS = Map.of("onnx", "onnx", "xgboost", "xgboost");

    @Override
    public String flavor() {
        return FLAVOR;
    }

    static boolean onKServeRuntime(String format) {
        return RUNTIME_FORMATS.containsKey(format.toLowerCase(Locale.ROOT));
    }

    @Override
    public List<GenericKubernetesResource> render(Rendering r) {
        var s = r.settings();
        boolean runtime = onKServeRuntime(r.model().format());
        Integer canary = r.canary() == null || r.canary().percent() == 100 ? null : r.canary().percent();
        Map<String, Object> predictor;
        if (runtime) {
            predictor = Obj.of(
                    "minReplicas", s.minReplicas(),
                    "maxReplicas", s.maxReplicas(),
                    "serviceAccountName", s.serviceAccountName(),
                    "canaryTrafficPercent", canary,
                    "model", Obj.of(
                            "modelFormat", Obj.of("name", RUNTIME_FORMATS.get(r.model().format().toLowerCase(Locale.ROOT))),
                            "protocolVersion", "v2",
                            "storageUri", r.storageUri(),
                            "resources", Manifests.resources(r)));
        } else {
            predictor = Obj.of(
                    "minReplicas", s.minReplicas(),
                    "maxReplicas", s.maxReplicas(),
                    "serviceAccountName", s.serviceAccountName(),
                    "canaryTrafficPercent", canary,
                    "containers", List.of(Manifests.serverContainer(r, "kserve-container", true)),
                    "volumes", List.of(Manifests.signatureVolume(r.objectName())));
        }
        List<GenericKubernetesResource> out = new ArrayList<>();
        if (!runtime) {
            out.add(Manifests.signatureConfigMap(r));
        }
        out.add(Manifests.object(Kinds.INFERENCE_SERVICE, r.objectName(), r, Obj.of("spec", Obj.of("predictor", predictor))));
        return out;
    }

    @Override
    public List<Ref> owned(String objectName) {
        return List.of(new Ref(Kinds.INFERENCE_SERVICE, objectName), new Ref(Kinds.CONFIG_MAP, objectName + "-signature"));
    }

    @Override
    public Ref main(String objectName) {
        return new Ref(Kinds.INFERENCE_SERVICE, objectName);
    }

    @Override
    public Observation observe(String objectName, Rendering context, Function<Ref, GenericKubernetesResource> get) {
        GenericKubernetesResource isvc = get.apply(new Ref(Kinds.INFERENCE_SERVICE, objectName));
        if (isvc == null) {
            return Observation.missing("InferenceService " + objectName);
        }
        Object url = Obj.at(isvc.getAdditionalProperties(), "status", "url");
        String base = context.settings().inferenceUrl() != null ? context.settings().inferenceUrl()
                : url == null ? null : url.toString();
        return ServingTarget.fromReadyCondition(isvc, "Ready", base, "InferenceService " + objectName);
    }

    @Override
    public Map<String, String> podSelector(String objectName, Rendering context) {
        return Map.of("serving.kserve.io/inferenceservice", objectName);
    }

    @Override
    public String logContainer() {
        return "kserve-container";
    }

    @Override
    public Integer canaryPercent(String objectName, Function<Ref, GenericKubernetesResource> get) {
        GenericKubernetesResource isvc = get.apply(new Ref(Kinds.INFERENCE_SERVICE, objectName));
        Long p = isvc == null ? null : Obj.number(Obj.at(isvc.getAdditionalProperties(), "spec", "predictor", "canaryTrafficPercent"));
        return p == null || p == 100 ? null : p.intValue();
    }
}
