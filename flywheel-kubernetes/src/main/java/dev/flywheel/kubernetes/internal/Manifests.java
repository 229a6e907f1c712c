package dev.flywheel.kubernetes.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.flywheel.deploy.service.ServiceJson;
import dev.flywheel.kubernetes.FlywheelImage;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The parts every flavor's manifests share: metadata, labels, resources, the Flywheel server container, YAML. */
public final class Manifests {
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String SERVICE_LABEL = "flywheel.dev/service";
    public static final String MODEL_LABEL = "flywheel.dev/model";
    public static final String VERSION_LABEL = "flywheel.dev/model-version";
    public static final String SHA_ANNOTATION = "flywheel.dev/model-sha256";
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Manifests() {
    }

    static GenericKubernetesResource object(Kinds kind, String name, Rendering r, Map<String, Object> body) {
        GenericKubernetesResource o = new GenericKubernetesResource();
        o.setApiVersion(kind.apiVersion());
        o.setKind(kind.kind());
        Map<String, String> annotations = new LinkedHashMap<>();
        if (r.model().modelSha256() != null) {
            annotations.put(SHA_ANNOTATION, r.model().modelSha256());
        }
        o.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(r.namespace()).withLabels(labels(r))
                .withAnnotations(annotations.isEmpty() ? null : annotations).build());
        body.forEach(o::setAdditionalProperty);
        return o;
    }

    static Map<String, String> labels(Rendering r) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_BY, "flywheel");
        labels.put(SERVICE_LABEL, r.service().toString());
        labels.put(MODEL_LABEL, ObjectNames.dns(r.model().modelName(), 63));
        labels.put(VERSION_LABEL, Integer.toString(r.model().modelVersion()));
        return labels;
    }

    static Map<String, Object> resources(Rendering r) {
        var s = r.settings();
        return Obj.of("requests", Obj.of("cpu", s.cpuRequest(), "memory", s.memoryRequest()),
                "limits", Obj.of("cpu", s.cpuLimit(), "memory", s.memoryLimit()));
    }

    /** The file name the version's file gets in {@link FlywheelImage#MODEL_DIR}: the storage URI's last segment. */
    static String modelFileName(Rendering r) {
        String uri = r.storageUri();
        if (uri.endsWith("/")) {
            return "model";
        }
        return uri.substring(uri.lastIndexOf('/') + 1);
    }

    /**
     * The Flywheel prediction server as a container: the image's Java runtime runs {@code ServerMain} on the version's
     * file (fetched into /mnt/models) and its signature (a ConfigMap), listening on 8080 on every interface of the pod.
     */
    static Map<String, Object> serverContainer(Rendering r, String name, boolean storageEnv) {
        List<String> args = new ArrayList<>(List.of("--model-name", r.model().modelName(), "--model-version",
                Integer.toString(r.model().modelVersion()), "--format", r.model().format(),
                "--model-file", FlywheelImage.MODEL_DIR + "/" + modelFileName(r),
                "--signature-file", FlywheelImage.SIGNATURE_DIR + "/signature.json",
                "--host", "0.0.0.0", "--port", Integer.toString(FlywheelImage.SERVER_PORT)));
        if (r.model().modelSha256() != null) {
            args.add("--model-sha256");
            args.add(r.model().modelSha256());
        }
        return Obj.of(
                "name", name,
                "image", r.settings().image(),
                "command", FlywheelImage.serverCommand(),
                "args", args,
                // KServe's storage initializer fetches STORAGE_URI into /mnt/models before the container starts.
                "env", storageEnv ? List.of(Obj.of("name", "STORAGE_URI", "value", r.storageUri())) : null,
                "ports", List.of(Obj.of("name", "http", "containerPort", FlywheelImage.SERVER_PORT, "protocol", "TCP")),
                "readinessProbe", probe("/v2/health/ready", 2, 5, 3),
                "livenessProbe", probe("/v2/health/live", 10, 10, 3),
                "resources", resources(r),
                "volumeMounts", List.of(Obj.of("name", "signature", "mountPath", FlywheelImage.SIGNATURE_DIR, "readOnly", true)));
    }

    private static Map<String, Object> probe(String path, int initialDelay, int period, int failures) {
        return Obj.of("httpGet", Obj.of("path", path, "port", FlywheelImage.SERVER_PORT), "initialDelaySeconds", initialDelay,
                "periodSeconds", period, "failureThreshold", failures);
    }

    static Map<String, Object> signatureVolume(String objectName) {
        return Obj.of("name", "signature", "configMap", Obj.of("name", objectName + "-signature"));
    }

    /** The version's signature, which the server validates requests against, as a ConfigMap mounted read-only. */
    static GenericKubernetesResource signatureConfigMap(Rendering r) {
        try {
            String json = ServiceJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(r.model().signature());
            return object(Kinds.CONFIG_MAP, r.objectName() + "-signature", r, Obj.of("data", Obj.of("signature.json", json)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the signature of " + r.model().modelName(), e);
        }
    }

    /** The objects as YAML documents separated by {@code ---}, as {@code kubectl apply -f} reads them. */
    public static String yaml(List<GenericKubernetesResource> objects) {
        StringBuilder out = new StringBuilder();
        for (GenericKubernetesResource o : objects) {
            String doc = SERIALIZATION.asYaml(o);
            out.append(doc.startsWith("---") ? doc : "---\n" + doc);
            if (!doc.endsWith("\n")) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    public static String yaml(GenericKubernetesResource o) {
        return yaml(List.of(o));
    }

    public static List<GenericKubernetesResource> parse(String yaml) {
        List<GenericKubernetesResource> out = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---\\s*$")) {
            if (!doc.isBlank()) {
                out.add(SERIALIZATION.unmarshal(doc, GenericKubernetesResource.class));
            }
        }
        return out;
    }
}
