package dev.flywheel.kubernetes.internal;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The API calls the cluster flavors make (deployers, Jobs), in one namespace; every failure becomes a FlywheelException with the API's message. */
public final class Cluster {
    private final KubernetesClient client;
    private final String namespace;
    private final ApiErrors.Owner owner;

    /** @param owner the component making the calls, whose settings an error's hint names */
    public Cluster(KubernetesClient client, String namespace, ApiErrors.Owner owner) {
        this.client = client;
        this.namespace = namespace;
        this.owner = owner;
    }

    public String namespace() {
        return namespace;
    }

    public KubernetesClient client() {
        return client;
    }

    public GenericKubernetesResource get(ServingTarget.Ref ref) {
        return ApiErrors.call(owner, "read " + ref.kind().kind() + " " + ref.name() + " in namespace " + namespace, () -> {
            try {
                return client.genericKubernetesResources(ref.kind().context()).inNamespace(namespace).withName(ref.name()).get();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return null; // the kind itself is unknown (CRD missing): nothing of it exists
                }
                throw e;
            }
        });
    }

    /** Creates the object, or replaces the existing one's spec (keeping its status and resourceVersion check). */
    public GenericKubernetesResource apply(GenericKubernetesResource o) {
        Kinds kind = Kinds.of(o.getApiVersion(), o.getKind());
        String what = kind.kind() + " " + o.getMetadata().getName() + " in namespace " + namespace;
        return ApiErrors.call(owner, "apply " + what, () -> {
            var resources = client.genericKubernetesResources(kind.context()).inNamespace(namespace);
            GenericKubernetesResource existing = resources.withName(o.getMetadata().getName()).get();
            if (existing == null) {
                return resources.resource(o).create();
            }
            o.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
            Object status = existing.getAdditionalProperties().get("status");
            if (status != null) {
                o.setAdditionalProperty("status", status);
            }
            return resources.resource(o).update();
        });
    }

    /** Deletes the object; true when it existed. */
    public boolean delete(ServingTarget.Ref ref) {
        return ApiErrors.call(owner, "delete " + ref.kind().kind() + " " + ref.name() + " in namespace " + namespace, () -> {
            try {
                return !client.genericKubernetesResources(ref.kind().context()).inNamespace(namespace).withName(ref.name()).delete().isEmpty();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** Deletes the object and, in the background, what it owns (a Job's pods); true when it existed. */
    public boolean deleteWithDependents(ServingTarget.Ref ref) {
        return ApiErrors.call(owner, "delete " + ref.kind().kind() + " " + ref.name() + " in namespace " + namespace, () -> {
            try {
                return !client.genericKubernetesResources(ref.kind().context()).inNamespace(namespace).withName(ref.name())
                        .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete().isEmpty();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** The pods matching {@code selector}. */
    public List<Pod> pods(Map<String, String> selector) {
        return ApiErrors.call(owner, "list pods " + selector + " in namespace " + namespace,
                () -> client.pods().inNamespace(namespace).withLabels(selector).list().getItems());
    }

    /** Events about the named objects, oldest first, as one line each. */
    public List<String> events(Set<String> names) {
        return ApiErrors.call(owner, "list events in namespace " + namespace, () -> {
            List<Event> events = new ArrayList<>(client.v1().events().inNamespace(namespace).list().getItems());
            events.removeIf(e -> e.getInvolvedObject() == null || !names.contains(e.getInvolvedObject().getName()));
            events.sort(Comparator.comparing(e -> e.getLastTimestamp() == null ? "" : e.getLastTimestamp()));
            return events.stream().map(e -> (e.getLastTimestamp() == null ? "" : e.getLastTimestamp() + " ") + e.getType() + " "
                    + e.getReason() + " " + e.getInvolvedObject().getKind() + "/" + e.getInvolvedObject().getName() + ": " + e.getMessage())
                    .toList();
        });
    }

    /** The last {@code tail} lines of each pod's log, each pod's lines headed by its name. */
    public List<String> logs(Map<String, String> selector, String container, int tail) {
        return ApiErrors.call(owner, "read the logs of pods " + selector + " in namespace " + namespace, () -> {
            List<String> out = new ArrayList<>();
            List<Pod> pods = client.pods().inNamespace(namespace).withLabels(selector).list().getItems();
            for (Pod p : pods) {
                String name = p.getMetadata().getName();
                String log = client.pods().inNamespace(namespace).withName(name).inContainer(container).tailingLines(tail).getLog();
                out.add("==> pod " + name + " <==");
                if (log != null && !log.isEmpty()) {
                    out.addAll(List.of(log.split("\n")));
                }
            }
            return out;
        });
    }
}
