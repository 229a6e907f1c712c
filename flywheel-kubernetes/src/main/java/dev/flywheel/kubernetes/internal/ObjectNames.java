package dev.flywheel.kubernetes.internal;

import dev.flywheel.deploy.service.ServiceRecord;

import java.util.Locale;
import java.util.UUID;

/**
 * Kubernetes object names of a service: DNS-1123 labels. KServe derives Knative revision and route names from the
 * InferenceService name, so names are kept to 45 characters, which leaves room for its suffixes.
 */
public final class ObjectNames {
    static final int MAX = 45;

    private ObjectNames() {
    }

    /** The service's own name when it has one ({@code demand-v1}), else the model's name and the id's first 8 characters. */
    public static String of(String serviceName, String modelName, UUID uuid) {
        if (serviceName != null) {
            return dns(serviceName, MAX);
        }
        String id = uuid.toString().substring(0, 8);
        return dns(modelName, MAX - 9) + "-" + id;
    }

    public static String of(ServiceRecord r) {
        return of(r.name(), r.modelName(), r.uuid());
    }

    static String dns(String text, int max) {
        String s = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("-{2,}", "-");
        s = s.replaceAll("^-+", "");
        if (s.length() > max) {
            s = s.substring(0, max);
        }
        s = s.replaceAll("-+$", "");
        if (s.isEmpty() || !Character.isLetter(s.charAt(0))) {
            s = ("m-" + s);
            s = s.length() > max ? s.substring(0, max).replaceAll("-+$", "") : s;
        }
        return s;
    }
}
