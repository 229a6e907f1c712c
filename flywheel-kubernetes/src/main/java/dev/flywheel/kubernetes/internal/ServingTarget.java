package dev.flywheel.kubernetes.internal;

import dev.flywheel.deploy.service.ServiceDetails.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How one cluster flavor serves a model version: the objects it renders, which objects a service may own, and how
 * to read readiness from them. Pure: no API calls (the deployer reads and writes; a target only looks at objects).
 */
public sealed interface ServingTarget permits KServeTarget, SeldonTarget, DeploymentTarget {

    /** A Kubernetes object by kind and name, in the deployer's namespace. */
    record Ref(Kinds kind, String name) {
    }

    /** The flavor name ({@code kserve}). */
    String flavor();

    /** The objects to apply for {@code r}, in apply order (ConfigMaps before the objects that mount them). */
    List<GenericKubernetesResource> render(Rendering r);

    /** Every object a service named {@code objectName} may own (deleted with it; stale ones pruned after an apply). */
    List<Ref> owned(String objectName);

    /** The object that stands for the service (the InferenceService, the Model, the Deployment). */
    Ref main(String objectName);

    /** Readiness of the service's objects as {@code get} returns them (null for a missing one). */
    Observation observe(String objectName, Rendering context, Function<Ref, GenericKubernetesResource> get);

    /** The label selector of the pods that serve the service, for logs; null when pods are shared (Seldon servers). */
    Map<String, String> podSelector(String objectName, Rendering context);

    /** The container whose log {@code served-models logs} shows. */
    String logContainer();

    /** The traffic share the candidate of a running canary has, or null when none runs. */
    Integer canaryPercent(String objectName, Function<Ref, GenericKubernetesResource> get);

    static List<Condition> conditions(GenericKubernetesResource o) {
        List<Condition> out = new ArrayList<>();
        for (Object c : Obj.list(Obj.at(o.getAdditionalProperties(), "status", "conditions"))) {
            Map<String, Object> m = Obj.map(c);
            if (m.get("type") != null && m.get("status") != null) {
                out.add(new Condition(m.get("type").toString(), m.get("status").toString(), str(m.get("reason")), str(m.get("message"))));
            }
        }
        return out;
    }

    /** Whether the controller has seen the object's latest spec: status.observedGeneration >= metadata.generation. */
    static boolean observedLatest(GenericKubernetesResource o) {
        Long generation = o.getMetadata().getGeneration();
        Long observed = Obj.number(Obj.at(o.getAdditionalProperties(), "status", "observedGeneration"));
        return generation == null || observed != null && observed >= generation;
    }

    /**
     * The phase a {@code Ready} condition gives: True (and the latest spec observed) is ready; False with a reason is
     * failed; anything else is still starting.
     */
    static Observation fromReadyCondition(GenericKubernetesResource o, String readyType, String url, String what) {
        List<Condition> conditions = conditions(o);
        Condition ready = conditions.stream().filter(c -> c.type().equals(readyType)).findFirst().orElse(null);
        boolean latest = observedLatest(o);
        if (ready != null && ready.status().equals("True") && latest) {
            return new Observation(Observation.Phase.READY, url, conditions, null);
        }
        if (ready != null && ready.status().equals("False") && latest) {
            return new Observation(Observation.Phase.FAILED, url, conditions, what + ": " + ready.describe());
        }
        String why = ready == null ? "no " + readyType + " condition yet" : !latest ? "the controller has not seen the latest spec yet"
                : ready.describe();
        return new Observation(Observation.Phase.PENDING, url, conditions, what + " is not ready: " + why);
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
