package dev.flywheel.kubernetes;

import dev.flywheel.deploy.service.DesiredState;
import dev.flywheel.deploy.service.Service;
import dev.flywheel.deploy.service.ServiceDetails;
import dev.flywheel.deploy.service.ServiceRecord;
import dev.flywheel.deploy.service.ServiceStatus;
import dev.flywheel.deploy.service.ServiceStore;
import dev.flywheel.kubernetes.internal.Cluster;
import dev.flywheel.kubernetes.internal.Manifests;
import dev.flywheel.kubernetes.internal.Observation;
import dev.flywheel.kubernetes.internal.Rendering;
import dev.flywheel.kubernetes.internal.ServingTarget;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A service whose server runs in a cluster: its status is read from its objects' conditions each time it is asked;
 * {@code stop} deletes the objects (the record stays, so {@code start} applies them again); logs and events come from
 * the API server.
 */
public final class ClusterService implements Service {
    private final ServingTarget target;
    private final Cluster cluster;
    private final ServiceStore store;
    private final Function<ServiceRecord, Rendering> rendering;
    private final Clock clock;
    private final Duration pollInterval;
    private volatile ServiceRecord record;

    ClusterService(ServiceRecord record, ServingTarget target, Cluster cluster, ServiceStore store, Function<ServiceRecord, Rendering> rendering,
                   Clock clock, Duration pollInterval) {
        this.record = record;
        this.target = target;
        this.cluster = cluster;
        this.store = store;
        this.rendering = rendering;
        this.clock = clock;
        this.pollInterval = pollInterval;
    }

    @Override
    public ServiceRecord record() {
        return record;
    }

    /** The name of the service's main object in the cluster ({@code demand-3f2a9c1e}). */
    public String objectName() {
        return rendering.apply(record).objectName();
    }

    public String namespace() {
        return cluster.namespace();
    }

    Observation observe() {
        Rendering r = rendering.apply(record);
        return target.observe(r.objectName(), r, cluster::get);
    }

    @Override
    public synchronized ServiceStatus status() {
        Observation o = observe();
        ServiceStatus s = switch (o.phase()) {
            case READY -> ServiceStatus.ACTIVE;
            case PENDING -> record.desiredState() == DesiredState.STOPPED ? ServiceStatus.PENDING_SHUTDOWN : ServiceStatus.PENDING_STARTUP;
            case FAILED -> new ServiceStatus.Failed(o.message());
            case MISSING -> record.desiredState() == DesiredState.STOPPED ? ServiceStatus.INACTIVE
                    : new ServiceStatus.Failed(o.message() + "; it was deleted outside Flywheel: start it again with flywheel served-models start "
                    + record.label());
        };
        String error = s instanceof ServiceStatus.Failed f ? f.lastError() : record.lastError();
        ServiceRecord next = record.observed(s, error, o.url() != null ? o.url() : record.predictionUrl(), 0, 0, 0, record.restartCount(),
                clock.instant());
        if (!next.status().equals(record.status()) || !java.util.Objects.equals(next.predictionUrl(), record.predictionUrl())) {
            store.find(record.uuid()).ifPresent(current -> store.update(next.withConfig(current.config(), clock.instant())));
        }
        record = next;
        return s;
    }

    /**
     * Waits until the cluster reports the objects ready, or fails with the last condition the cluster gave.
     *
     * @throws FlywheelException DEPLOY_FAILED naming the object, the condition and how long it waited
     */
    void awaitReady(Duration timeout, String context) {
        Instant deadline = clock.instant().plus(timeout);
        Observation last;
        while (true) {
            last = observe();
            if (last.phase() == Observation.Phase.READY) {
                status();
                return;
            }
            if (!clock.instant().isBefore(deadline)) {
                break;
            }
            try {
                Thread.sleep(Math.max(1, Math.min(pollInterval.toMillis(), Duration.between(clock.instant(), deadline).toMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FlywheelException(ErrorCode.UNAVAILABLE, "Interrupted while waiting for service " + record.label() + " to become ready");
            }
        }
        String message = "Service " + record.label() + " (" + target.flavor() + " " + objectName() + " in namespace " + cluster.namespace()
                + ") did not become ready within " + timeout.toSeconds() + " s: " + last.message() + context
                + "; see flywheel served-models describe " + record.label();
        recordFailure(message);
        throw new FlywheelException(ErrorCode.DEPLOY_FAILED, message);
    }

    void recordFailure(String message) {
        store.find(record.uuid()).ifPresent(current -> {
            record = current.observed(new ServiceStatus.Failed(message), message, current.predictionUrl(), 0, 0, 0, current.restartCount(),
                    clock.instant());
            store.update(record);
        });
    }

    /** Keeps {@code message} as the last error without changing the observed status. */
    void recordError(String message) {
        store.find(record.uuid()).ifPresent(current -> {
            record = current.observed(current.status(), message, current.predictionUrl(), 0, 0, 0, current.restartCount(), clock.instant());
            store.update(record);
        });
    }

    @Override
    public synchronized void start(Duration timeout) {
        store.update(record.withDesired(DesiredState.RUNNING, clock.instant()));
        record = store.find(record.uuid()).orElseThrow();
        if (observe().phase() == Observation.Phase.MISSING) {
            for (GenericKubernetesResource o : target.render(rendering.apply(record))) {
                cluster.apply(o);
            }
        }
        awaitReady(timeout, "");
    }

    @Override
    public synchronized void stop(Duration timeout, boolean force) {
        store.update(record.withDesired(DesiredState.STOPPED, clock.instant()));
        deleteObjects();
        record = store.find(record.uuid()).orElseThrow();
        status();
    }

    void deleteObjects() {
        for (ServingTarget.Ref ref : target.owned(objectName())) {
            cluster.delete(ref);
        }
    }

    @Override
    public Optional<List<String>> fetchLogs(int tailLines) {
        Rendering r = rendering.apply(record);
        Map<String, String> selector = target.podSelector(r.objectName(), r);
        if (selector == null) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Service " + record.label() + " runs in a shared Seldon Core server pod, "
                    + "which Flywheel does not read; see it with: kubectl logs -n " + cluster.namespace() + " -l seldon-server-name --tail "
                    + tailLines);
        }
        return Optional.of(cluster.logs(selector, target.logContainer(), tailLines));
    }

    @Override
    public Optional<ServiceDetails> details() {
        String objectName = objectName();
        GenericKubernetesResource main = cluster.get(target.main(objectName));
        Set<String> names = new HashSet<>();
        target.owned(objectName).forEach(ref -> names.add(ref.name()));
        List<ServiceDetails.Condition> conditions = main == null ? List.of() : ServingTarget.conditions(main);
        return Optional.of(new ServiceDetails(main == null ? null : Manifests.yaml(main), conditions, cluster.events(names)));
    }

    /** The traffic share of the running canary, or null. */
    public Integer canaryPercent() {
        return target.canaryPercent(objectName(), cluster::get);
    }
}
