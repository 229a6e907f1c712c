package dev.flywheel.kubernetes.internal;

import dev.flywheel.kubernetes.Fixtures;
import dev.flywheel.kubernetes.KubernetesDeployerConfig.CanaryMode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every rendered manifest, field by field, against the facts of the schemas the cluster validates it with:
 * <ul>
 *   <li>KServe's InferenceService CRD (serving.kserve.io/v1beta1): {@code spec.predictor} required; a
 *       {@code model} needs {@code modelFormat.name}; {@code protocolVersion} one of v1, v2, grpc-v2;
 *       {@code canaryTrafficPercent} 0..100; min/max replicas >= 0 and min <= max; a custom predictor's container is
 *       named {@code kserve-container}; only fields of the CRD's predictor schema.</li>
 *   <li>Seldon Core 2's Model CRD (mlops.seldon.io/v1alpha1): {@code spec.storageUri} required, {@code requirements}
 *       a list of strings, {@code memory} a quantity; the Experiment CRD: {@code spec.candidates} required, each with
 *       {@code name} and {@code weight}; {@code mirror} needs {@code name} and {@code percent} (0..100);
 *       {@code resourceType} model or pipeline; {@code default} names a candidate.</li>
 *   <li>Core kinds (apps/v1 Deployment, v1 Service, v1 ConfigMap): read into fabric8's typed model generated from the
 *       Kubernetes OpenAPI schema, with no field left over as unknown; strategy type and Service type from their enums.</li>
 * </ul>
 */
class CrdSchemaTest {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final String QUANTITY = "[0-9]+(\\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?";
    private static final String DNS_1123 = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    /** The properties of KServe's PredictorSpec used by Flywheel (a subset of the CRD's; anything else is a typo). */
    private static final Set<String> PREDICTOR_FIELDS = Set.of("minReplicas", "maxReplicas", "serviceAccountName", "canaryTrafficPercent",
            "model", "containers", "volumes", "scaleTarget", "scaleMetric", "timeout", "nodeSelector", "tolerations", "affinity");
    private static final Set<String> MODEL_SPEC_FIELDS = Set.of("modelFormat", "protocolVersion", "storageUri", "runtime", "resources",
            "env", "args", "image", "ports");
    private static final Set<String> SELDON_MODEL_FIELDS = Set.of("storageUri", "requirements", "memory", "replicas", "minReplicas",
            "maxReplicas", "server", "artifactVersion", "schemaUri", "preloaded", "dedicated", "logger", "explainer", "parameters");
    private static final Set<String> EXPERIMENT_FIELDS = Set.of("default", "resourceType", "candidates", "mirror");

    static List<GenericKubernetesResource> everyRendering() {
        List<GenericKubernetesResource> all = new ArrayList<>();
        var settings = Fixtures.settings();
        for (String format : List.of("onnx", "xgboost", "lightgbm")) {
            all.addAll(new KServeTarget().render(Fixtures.rendering("kserve", 1, format, settings)));
            all.addAll(new SeldonTarget().render(Fixtures.rendering("seldon", 1, format, settings)));
            all.addAll(new DeploymentTarget().render(Fixtures.rendering("kubernetes", 1, format, settings)));
            for (int percent : List.of(1, 20, 99)) {
                all.addAll(new KServeTarget().render(Fixtures.canary("kserve", percent, CanaryMode.SPLIT, format)));
                all.addAll(new SeldonTarget().render(Fixtures.canary("seldon", percent, CanaryMode.SPLIT, format)));
                all.addAll(new SeldonTarget().render(Fixtures.canary("seldon", percent, CanaryMode.MIRROR, format)));
            }
        }
        return all;
    }

    @Test
    void everyRenderedObjectSatisfiesItsSchema() {
        List<GenericKubernetesResource> all = everyRendering();
        assertThat(all).extracting(GenericKubernetesResource::getKind)
                .contains("InferenceService", "Model", "Experiment", "Deployment", "Service", "ConfigMap");
        for (GenericKubernetesResource o : all) {
            String where = o.getKind() + " " + o.getMetadata().getName();
            assertThat(o.getMetadata().getName()).as(where + " name").matches(DNS_1123).hasSizeLessThanOrEqualTo(63);
            assertThat(o.getMetadata().getNamespace()).as(where).isEqualTo("models");
            o.getMetadata().getLabels().forEach((k, v) -> assertThat(v).as(where + " label " + k).matches("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
                    .hasSizeLessThanOrEqualTo(63));
            switch (o.getKind()) {
                case "InferenceService" -> inferenceService(o, where);
                case "Model" -> seldonModel(o, where);
                case "Experiment" -> experiment(o, where);
                case "Deployment" -> deployment(o, where);
                case "Service" -> service(o, where);
                case "ConfigMap" -> typed(o, ConfigMap.class, where);
                default -> throw new AssertionError("unexpected kind " + where);
            }
        }
    }

    /**
     * The Jobs of a rendered run against batch/v1 Job: the typed model (no unknown field at any depth), then the rules the
     * API server adds: a Job's pod restarts {@code Never} or {@code OnFailure}; counts and deadlines in range; each
     * variable has a C identifier name and exactly one of value and valueFrom, a secretKeyRef names a Secret and a key;
     * every mount names a volume of the pod; no selector (the Job controller makes one).
     */
    @Test
    void everyJobOfARenderedRunSatisfiesTheBatchV1JobSchema() {
        List<GenericKubernetesResource> jobs = Manifests.parse(Fixtures.renderedRun());
        assertThat(jobs).hasSize(4);
        for (GenericKubernetesResource o : jobs) {
            String where = o.getKind() + " " + o.getMetadata().getName();
            assertThat(o.getApiVersion()).isEqualTo("batch/v1");
            assertThat(o.getKind()).isEqualTo("Job");
            assertThat(o.getMetadata().getName()).as(where + " name").matches(DNS_1123).hasSizeLessThanOrEqualTo(63);
            assertThat(o.getMetadata().getNamespace()).as(where).isEqualTo("pipelines");
            o.getMetadata().getLabels().forEach((k, v) -> assertThat(v).as(where + " label " + k).matches("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
                    .hasSizeLessThanOrEqualTo(63));
            Job job = typed(o, Job.class, where);
            var spec = job.getSpec();
            assertThat(spec.getSelector()).as(where + " selector (generated by the controller)").isNull();
            assertThat(spec.getBackoffLimit()).as(where).isNotNull().isGreaterThanOrEqualTo(0);
            assertThat(spec.getTtlSecondsAfterFinished()).as(where).isGreaterThanOrEqualTo(0);
            if (spec.getActiveDeadlineSeconds() != null) {
                assertThat(spec.getActiveDeadlineSeconds()).as(where).isPositive();
            }
            assertThat(spec.getCompletions()).as(where).isNull();
            assertThat(spec.getParallelism()).as(where).isNull();
            var pod = spec.getTemplate().getSpec();
            assertThat(pod.getRestartPolicy()).as(where + " restartPolicy of a Job").isIn("Never", "OnFailure").isEqualTo("Never");
            assertThat(pod.getContainers()).as(where).hasSize(1);
            Set<String> volumes = Set.copyOf(pod.getVolumes().stream().map(v -> v.getName()).toList());
            assertThat(pod.getVolumes()).allSatisfy(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).matches(DNS_1123));
            for (Container c : pod.getContainers()) {
                assertThat(c.getName()).as(where).matches(DNS_1123);
                assertThat(c.getImage()).as(where).isNotBlank();
                assertThat(c.getCommand()).as(where).isNotEmpty();
                for (var env : c.getEnv()) {
                    assertThat(env.getName()).as(where + " env").matches("[A-Za-z_][A-Za-z0-9_]*");
                    assertThat(env.getValue() == null).as(where + " env " + env.getName() + ": exactly one of value and valueFrom")
                            .isNotEqualTo(env.getValueFrom() == null);
                    if (env.getValueFrom() != null) {
                        assertThat(env.getValueFrom().getSecretKeyRef().getName()).as(where).matches(DNS_1123);
                        assertThat(env.getValueFrom().getSecretKeyRef().getKey()).as(where).matches("[-._a-zA-Z0-9]+");
                    }
                }
                for (String part : List.of("requests", "limits")) {
                    var q = part.equals("requests") ? c.getResources().getRequests() : c.getResources().getLimits();
                    assertThat(q).as(where + " " + part).containsKeys("cpu", "memory");
                    q.forEach((k, v) -> assertThat(v.getAmount() + v.getFormat()).as(where + " " + part + "." + k).matches(QUANTITY));
                }
                c.getVolumeMounts().forEach(m -> assertThat(volumes).as(where + " mount " + m.getName()).contains(m.getName()));
            }
        }
    }

    private static void inferenceService(GenericKubernetesResource o, String where) {
        assertThat(o.getApiVersion()).isEqualTo("serving.kserve.io/v1beta1");
        Map<String, Object> spec = Obj.map(o.getAdditionalProperties().get("spec"));
        assertThat(spec.keySet()).as(where + " spec").containsOnly("predictor");
        Map<String, Object> predictor = Obj.map(spec.get("predictor"));
        assertThat(PREDICTOR_FIELDS).as(where + " predictor fields").containsAll(predictor.keySet());
        long min = Obj.number(predictor.get("minReplicas"));
        long max = Obj.number(predictor.get("maxReplicas"));
        assertThat(min).as(where).isGreaterThanOrEqualTo(0).isLessThanOrEqualTo(max);
        if (predictor.containsKey("canaryTrafficPercent")) {
            assertThat(Obj.number(predictor.get("canaryTrafficPercent"))).as(where).isBetween(0L, 100L);
        }
        assertThat(predictor.containsKey("model")).as(where + ": exactly one of model and containers").isNotEqualTo(predictor.containsKey("containers"));
        if (predictor.containsKey("model")) {
            Map<String, Object> model = Obj.map(predictor.get("model"));
            assertThat(MODEL_SPEC_FIELDS).as(where + " model fields").containsAll(model.keySet());
            assertThat(Obj.map(model.get("modelFormat")).get("name")).as(where + " modelFormat.name (required)").isIn("onnx", "xgboost");
            assertThat(model.get("protocolVersion")).as(where).isIn("v1", "v2", "grpc-v2").isEqualTo("v2");
            assertThat((String) model.get("storageUri")).as(where).matches("[a-z0-9]+://.+");
            quantities(Obj.map(model.get("resources")), where);
        } else {
            List<?> containers = Obj.list(predictor.get("containers"));
            assertThat(containers).as(where).hasSize(1);
            Container c = SERIALIZATION.convertValue(containers.getFirst(), Container.class);
            noUnknownFields(c, where + " container");
            assertThat(c.getName()).isEqualTo("kserve-container");
            assertThat(c.getEnv()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("STORAGE_URI"));
            assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/v2/health/ready");
        }
    }

    private static void seldonModel(GenericKubernetesResource o, String where) {
        assertThat(o.getApiVersion()).isEqualTo("mlops.seldon.io/v1alpha1");
        Map<String, Object> spec = Obj.map(o.getAdditionalProperties().get("spec"));
        assertThat(SELDON_MODEL_FIELDS).as(where + " fields").containsAll(spec.keySet());
        assertThat((String) spec.get("storageUri")).as(where + " storageUri (required)").matches("[a-z0-9]+://.+");
        assertThat(Obj.list(spec.get("requirements"))).as(where).isNotEmpty().allSatisfy(r -> assertThat(r).isInstanceOf(String.class));
        assertThat((String) spec.get("memory")).as(where).matches(QUANTITY);
        assertThat(Obj.number(spec.get("minReplicas"))).isLessThanOrEqualTo(Obj.number(spec.get("maxReplicas")));
    }

    private static void experiment(GenericKubernetesResource o, String where) {
        assertThat(o.getApiVersion()).isEqualTo("mlops.seldon.io/v1alpha1");
        Map<String, Object> spec = Obj.map(o.getAdditionalProperties().get("spec"));
        assertThat(EXPERIMENT_FIELDS).as(where + " fields").containsAll(spec.keySet());
        assertThat(spec.get("resourceType")).as(where).isIn("model", "pipeline");
        List<?> candidates = Obj.list(spec.get("candidates"));
        assertThat(candidates).as(where + " candidates (required)").isNotEmpty();
        long total = 0;
        for (Object c : candidates) {
            Map<String, Object> m = Obj.map(c);
            assertThat(m.keySet()).as(where + " candidate").containsExactlyInAnyOrder("name", "weight");
            total += Obj.number(m.get("weight"));
        }
        assertThat(total).as(where + " weights").isEqualTo(100);
        assertThat(candidates).extracting(c -> Obj.map(c).get("name")).as(where + " default is a candidate").contains(spec.get("default"));
        if (spec.containsKey("mirror")) {
            Map<String, Object> mirror = Obj.map(spec.get("mirror"));
            assertThat(mirror.keySet()).containsExactlyInAnyOrder("name", "percent");
            assertThat(Obj.number(mirror.get("percent"))).isBetween(0L, 100L);
        }
    }

    private static void deployment(GenericKubernetesResource o, String where) {
        Deployment d = typed(o, Deployment.class, where);
        assertThat(d.getApiVersion()).isEqualTo("apps/v1");
        assertThat(d.getSpec().getStrategy().getType()).isIn("RollingUpdate", "Recreate").isEqualTo("RollingUpdate");
        assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
        Container server = d.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(server.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/v2/health/ready");
        assertThat(server.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/v2/health/live");
        assertThat(server.getResources().getLimits()).containsKeys("cpu", "memory");
        Set<String> volumes = Set.copyOf(d.getSpec().getTemplate().getSpec().getVolumes().stream().map(v -> v.getName()).toList());
        d.getSpec().getTemplate().getSpec().getContainers().forEach(c -> c.getVolumeMounts()
                .forEach(m -> assertThat(volumes).as(where + " mount " + m.getName()).contains(m.getName())));
    }

    private static void service(GenericKubernetesResource o, String where) {
        Service s = typed(o, Service.class, where);
        assertThat(s.getSpec().getType()).isIn("ClusterIP", "NodePort", "LoadBalancer", "ExternalName");
        assertThat(s.getSpec().getPorts()).allSatisfy(p -> assertThat(p.getProtocol()).isIn("TCP", "UDP", "SCTP"));
    }

    private static <T extends KubernetesResource> T typed(GenericKubernetesResource o, Class<T> type, String where) {
        T typed = SERIALIZATION.unmarshal(SERIALIZATION.asJson(o), type);
        noUnknownFields(typed, where);
        return typed;
    }

    private static void quantities(Map<String, Object> resources, String where) {
        for (String part : List.of("requests", "limits")) {
            Obj.map(resources.get(part)).forEach((k, v) -> assertThat((String) v).as(where + " " + part + "." + k).matches(QUANTITY));
        }
    }

    /** fabric8's typed model keeps fields its schema does not know in additionalProperties: there must be none, at any depth. */
    private static void noUnknownFields(Object o, String where) {
        if (o == null || o instanceof String || o instanceof Number || o instanceof Boolean || o instanceof Enum<?>) {
            return;
        }
        if (o instanceof Collection<?> c) {
            c.forEach(e -> noUnknownFields(e, where));
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.values().forEach(v -> noUnknownFields(v, where));
            return;
        }
        if (!o.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getDeclaringClass() == Object.class) {
                continue;
            }
            try {
                Object v = m.invoke(o);
                if (m.getName().equals("getAdditionalProperties")) {
                    assertThat((Map<?, ?>) v).as(where + ": fields unknown to " + o.getClass().getSimpleName()).isEmpty();
                } else {
                    noUnknownFields(v, where);
                }
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
    }
}
