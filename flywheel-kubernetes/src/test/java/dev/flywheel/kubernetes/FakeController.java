package dev.flywheel.kubernetes;

import dev.flywheel.kubernetes.internal.Kinds;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stands in for the operators (KServe, Seldon, the Deployment controller) the mock API server does not run: it writes
 * the status a controller would, for the latest generation of each object, when the test asks it to ({@link #settle}).
 * Tests call it from their own thread between polls, so no sleeping: {@link #whileWaiting} runs it in a loop until the
 * deploy under test returns.
 */
final class FakeController {
    enum Verdict { READY, NOT_READY }

    private final KubernetesClient client;
    private final String namespace;
    volatile Verdict verdict = Verdict.READY;
    volatile String url = "http://demand.models.example.com";

    FakeController(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** Writes status to every object that lacks one for its current generation. */
    void settle() {
        for (Kinds kind : List.of(Kinds.INFERENCE_SERVICE, Kinds.SELDON_MODEL, Kinds.SELDON_EXPERIMENT, Kinds.DEPLOYMENT)) {
            for (GenericKubernetesResource o : client.genericKubernetesResources(kind.context()).inNamespace(namespace).list().getItems()) {
                Long generation = o.getMetadata().getGeneration();
                Map<String, Object> status = new LinkedHashMap<>();
                status.put("observedGeneration", generation == null ? 1 : generation);
                boolean ready = verdict == Verdict.READY;
                if (kind == Kinds.DEPLOYMENT) {
                    Object replicas = ((Map<?, ?>) o.getAdditionalProperties().get("spec")).get("replicas");
                    int want = replicas == null ? 1 : ((Number) replicas).intValue();
                    status.put("replicas", want);
                    status.put("updatedReplicas", ready ? want : 0);
                    status.put("availableReplicas", ready ? want : 0);
                    status.put("conditions", List.of(condition("Available", ready, ready ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                            ready ? "Deployment has minimum availability." : "Deployment does not have minimum availability.")));
                } else {
                    status.put("conditions", List.of(condition("Ready", ready, ready ? null : "RevisionMissing",
                            ready ? null : "Revision \"demand-predictor-00002\" failed with message: Back-off pulling image")));
                    if (kind == Kinds.INFERENCE_SERVICE) {
                        status.put("url", url);
                    }
                }
                if (status.equals(o.getAdditionalProperties().get("status"))) {
                    continue;
                }
                o.setAdditionalProperty("status", status);
                try {
                    client.genericKubernetesResources(kind.context()).inNamespace(namespace).resource(o).updateStatus();
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409 && e.getCode() != 404) {
                        throw e; // a concurrent spec change: the next settle sees the new generation
                    }
                }
            }
        }
    }

    private static Map<String, Object> condition(String type, boolean ok, String reason, String message) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", type);
        c.put("status", ok ? "True" : "False");
        if (reason != null) {
            c.put("reason", reason);
        }
        if (message != null) {
            c.put("message", message);
        }
        return c;
    }

    /** Runs {@code action} on another thread while settling objects here until it returns; rethrows what it threw. */
    <T> T whileWaiting(java.util.concurrent.Callable<T> action) throws Exception {
        var result = new java.util.concurrent.CompletableFuture<T>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                result.complete(action.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        while (!result.isDone()) {
            settle();
            try {
                result.get(20, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // still waiting: settle again
            } catch (java.util.concurrent.ExecutionException e) {
                break;
            }
        }
        t.join();
        try {
            return result.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw new AssertionError(e.getCause());
        }
    }
}
