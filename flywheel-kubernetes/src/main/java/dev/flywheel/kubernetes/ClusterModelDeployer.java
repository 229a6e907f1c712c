package dev.flywheel.kubernetes;

import dev.flywheel.deploy.DeploymentConfig;
import dev.flywheel.deploy.ModelDeployer;
import dev.flywheel.deploy.Placement;
import dev.flywheel.deploy.service.DesiredState;
import dev.flywheel.deploy.service.Service;
import dev.flywheel.deploy.service.ServiceJson;
import dev.flywheel.deploy.service.ServiceRecord;
import dev.flywheel.deploy.service.ServiceStatus;
import dev.flywheel.deploy.service.ServiceStore;
import dev.flywheel.kubernetes.internal.ApiErrors;
import dev.flywheel.kubernetes.internal.Cluster;
import dev.flywheel.kubernetes.internal.DeploymentTarget;
import dev.flywheel.kubernetes.internal.KServeTarget;
import dev.flywheel.kubernetes.internal.SeldonTarget;
import dev.flywheel.store.artifact.ArtifactStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import dev.flywheel.kubernetes.internal.Manifests;
import dev.flywheel.kubernetes.internal.ObjectNames;
import dev.flywheel.kubernetes.internal.Observation;
import dev.flywheel.kubernetes.internal.Rendering;
import dev.flywheel.kubernetes.internal.ServingTarget;
import dev.flywheel.kubernetes.internal.StorageLocator;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The cluster model deployers ({@code kserve}, {@code seldon}, {@code kubernetes}): each service is a set of
 * Kubernetes objects, rendered from the version and the settings, applied, and watched until the cluster reports them
 * ready. A replace changes the objects in place; when it does not become ready in time the previous objects are put
 * back, so what served before keeps serving. With {@code canaryTrafficPercent}, a replace of a ready service sends
 * only that share to the new version until {@link #traffic} moves it (Flywheel's analysis decides; KServe and Seldon
 * have none of their own). Services are recorded in the project's services table like the local flavor's, so the
 * {@code served-models} verbs work the same for every flavor.
 *
 * <p>Deploys of one deployer object are serialized; across processes the API server's resourceVersion check turns a
 * lost race into a 409 CONFLICT instead of a silent overwrite.
 */
public final class ClusterModelDeployer implements ModelDeployer {
    private static final Logger log = LoggerFactory.getLogger(ClusterModelDeployer.class);
    /** Annotation with the version serving while a canary runs (a DeploymentConfig as JSON), for a later promote or rollback. */
    static final String STABLE_ANNOTATION = "flywheel.dev/stable-config";

    private final ServingTarget target;
    private final Cluster cluster;
    private final ServiceStore store;
    private final KubernetesDeployerConfig settings;
    private final StorageLocator storage;
    private final Clock clock;
    private final Duration pollInterval;
    private final ReentrantLock lock = new ReentrantLock();

    ClusterModelDeployer(ServingTarget target, Cluster cluster, ServiceStore store, KubernetesDeployerConfig settings, StorageLocator storage,
                         Clock clock, Duration pollInterval) {
        this.target = target;
        this.cluster = cluster;
        this.store = store;
        this.settings = settings;
        this.storage = storage;
        this.clock = clock;
        this.pollInterval = pollInterval;
    }

    /**
     * A deployer of {@code flavor} ({@code kserve}, {@code seldon}, {@code kubernetes}) on {@code client}'s cluster, in
     * the settings' namespace, recording services in {@code store}; {@code artifacts} (may be null) is where a version's
     * storage URI points unless the settings give a template.
     */
    public static ClusterModelDeployer create(String flavor, KubernetesClient client, ServiceStore store, KubernetesDeployerConfig settings,
                                              ArtifactStore artifacts, Clock clock) {
        ServingTarget target = switch (flavor) {
            case KServeTarget.FLAVOR -> new KServeTarget();
            case SeldonTarget.FLAVOR -> new SeldonTarget();
            case DeploymentTarget.FLAVOR -> new DeploymentTarget();
            default -> throw FlywheelException.invalid("Unknown cluster deployer flavor '" + flavor + "'; use kserve, seldon or kubernetes");
        };
        return new ClusterModelDeployer(target, new Cluster(client, settings.namespace(), ApiErrors.Owner.MODEL_DEPLOYER), store, settings,
                new StorageLocator(target.flavor(), settings.storageUriTemplate(), artifacts), clock, Duration.ofMillis(100));
    }

    @Override
    public String flavor() {
        return target.flavor();
    }

    public KubernetesDeployerConfig settings() {
        return settings;
    }

    @Override
    public <T> T exclusively(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- deploy

    @Override
    public Service deployModel(DeploymentConfig config, Placement placement, Duration timeout) {
        return exclusively(() -> switch (placement) {
            case Placement.StepService s -> {
                ServiceRecord same = sameStep(config);
                yield same == null ? create(config, null, timeout) : replace(same, same.config().servingModelOf(config), timeout);
            }
            case Placement.NewService n -> create(config, n.name(), timeout);
            case Placement.Existing e -> {
                ServiceRecord current = existing(e.uuid(), config);
                yield replace(current, current.config().servingModelOf(config), timeout);
            }
        });
    }

    @Override
    public String render(DeploymentConfig config, Placement placement) {
        return exclusively(() -> {
            ServiceRecord current = switch (placement) {
                case Placement.StepService s -> sameStep(config);
                case Placement.NewService n -> null;
                case Placement.Existing e -> existing(e.uuid(), config);
            };
            if (current == null) {
                String name = placement instanceof Placement.NewService n ? n.name() : null;
                UUID uuid = UUID.randomUUID();
                return Manifests.yaml(target.render(rendering(ObjectNames.of(name, config.modelName(), uuid), uuid, config)));
            }
            return Manifests.yaml(target.render(replacement(current, current.config().servingModelOf(config))));
        });
    }

    private ServiceRecord sameStep(DeploymentConfig config) {
        return store.list(flavor(), null, null, config.modelName()).stream()
                .filter(r -> Objects.equals(r.pipelineName(), config.pipelineName()) && Objects.equals(r.stepName(), config.stepName()))
                .findFirst().orElse(null);
    }

    private ServiceRecord existing(UUID uuid, DeploymentConfig config) {
        ServiceRecord current = store.find(uuid).orElseThrow(() -> FlywheelException.notFound("No service " + uuid
                + "; list them with: flywheel served-models list"));
        if (!current.modelName().equals(config.modelName())) {
            throw FlywheelException.conflict("Service " + current.label() + " serves model '" + current.modelName() + "', not '"
                    + config.modelName() + "'; pick a service of that model (flywheel served-models list --model " + config.modelName() + ")");
        }
        return current;
    }

    private Rendering rendering(String objectName, UUID uuid, DeploymentConfig config) {
        return new Rendering(objectName, uuid, config, storage.prepare(config), settings, null);
    }

    private Service create(DeploymentConfig config, String name, Duration timeout) {
        UUID uuid = UUID.randomUUID();
        String objectName = ObjectNames.of(name, config.modelName(), uuid);
        Rendering r = rendering(objectName, uuid, config);
        for (ServingTarget.Ref ref : target.owned(objectName)) {
            GenericKubernetesResource other = cluster.get(ref);
            if (other != null) {
                throw FlywheelException.conflict(ref.kind().kind() + " " + objectName + " exists already in namespace " + cluster.namespace()
                        + " (service " + labelOf(other) + "); name the new service otherwise with --as, or replace that one with --replace");
            }
        }
        Instant now = clock.instant();
        ServiceRecord record = new ServiceRecord(uuid, flavor(), config, DesiredState.RUNNING, ServiceStatus.PENDING_STARTUP, null, null, 0, 0, 0,
                now, now, name, 0);
        store.insert(record);
        log.info("service={} deploying model={} version={} flavor={} object={} namespace={}", uuid, config.modelName(),
                config.modelVersion(), flavor(), objectName, cluster.namespace());
        ClusterService service = attach(record);
        try {
            applyAll(target.render(r), objectName);
        } catch (FlywheelException e) {
            service.recordFailure(e.getMessage());
            throw e;
        }
        service.awaitReady(timeout, "");
        return service;
    }

    private Rendering replacement(ServiceRecord current, DeploymentConfig next) {
        String objectName = ObjectNames.of(current);
        Rendering r = rendering(objectName, current.uuid(), next);
        Integer percent = settings.canaryTrafficPercent();
        if (percent != null && current.modelVersion() != next.modelVersion()
                && target.observe(objectName, r, cluster::get).phase() == Observation.Phase.READY) {
            if (target instanceof DeploymentTarget) {
                throw FlywheelException.invalid("The kubernetes deployer cannot split traffic (a Deployment serves one version); "
                        + "unset canaryTrafficPercent, or use the kserve or seldon deployer for a canary");
            }
            return r.withCanary(new Rendering.Canary(percent, settings.canaryMode(), current.config(), storage.prepare(current.config())));
        }
        return r;
    }

    private Service replace(ServiceRecord current, DeploymentConfig next, Duration timeout) {
        String objectName = ObjectNames.of(current);
        Rendering r = replacement(current, next);
        List<GenericKubernetesResource> before = snapshot(objectName);
        List<GenericKubernetesResource> objects = target.render(r);
        if (r.canary() != null) {
            stable(objects, objectName, current.config());
        }
        log.info("service={} replacing model={} version {} -> {} flavor={} canary={}", current.uuid(), next.modelName(),
                current.modelVersion(), next.modelVersion(), flavor(), r.canary() == null ? "none" : r.canary().percent() + "%");
        ClusterService service = attach(current);
        try {
            applyAll(objects, objectName);
            store.update(current.withConfig(next, clock.instant()).withDesired(DesiredState.RUNNING, clock.instant()));
            service = attach(store.find(current.uuid()).orElseThrow());
            service.awaitReady(timeout, "");
            return service;
        } catch (FlywheelException e) {
            restore(before, objectName);
            store.update(store.find(current.uuid()).orElseThrow().withConfig(current.config(), clock.instant()));
            ClusterService restored = attach(store.find(current.uuid()).orElseThrow());
            restored.recordError(e.getMessage());
            throw new FlywheelException(e.code() == ErrorCode.UNAVAILABLE ? ErrorCode.DEPLOY_FAILED : e.code(), e.getMessage()
                    + "; the previous objects were put back, so version " + current.modelVersion() + " keeps serving", e);
        }
    }

    /**
     * Moves a running canary of {@code idOrName}: {@code percent} of traffic to the new version; 100 promotes it (the
     * canary ends, the new version serves everything), 0 rolls it back (the previous version serves everything again).
     */
    @Override
    public Service traffic(String idOrName, int percent, Duration timeout) {
        if (percent < 0 || percent > 100) {
            throw FlywheelException.invalid("Traffic percent must be between 0 (roll back) and 100 (promote), got " + percent);
        }
        return exclusively(() -> {
            ServiceRecord current = get(idOrName).record();
            String objectName = ObjectNames.of(current);
            DeploymentConfig stable = stableConfig(objectName);
            if (stable == null) {
                throw FlywheelException.conflict("Service " + current.label() + " runs no canary (all traffic goes to version "
                        + current.modelVersion() + "); a replace with canaryTrafficPercent set starts one");
            }
            List<GenericKubernetesResource> before = snapshot(objectName);
            DeploymentConfig serving = percent == 0 ? stable : current.config();
            Rendering r = rendering(objectName, current.uuid(), serving);
            if (percent > 0 && percent < 100) {
                r = r.withCanary(new Rendering.Canary(percent, settings.canaryMode(), stable, storage.prepare(stable)));
            }
            List<GenericKubernetesResource> objects = target.render(r);
            if (r.canary() != null) {
                stable(objects, objectName, stable);
            }
            try {
                applyAll(objects, objectName);
                store.update(current.withConfig(serving, clock.instant()));
                ClusterService service = attach(store.find(current.uuid()).orElseThrow());
                service.awaitReady(timeout, "");
                log.info("service={} canary traffic now {}% to version {}", current.uuid(), percent, current.modelVersion());
                return service;
            } catch (FlywheelException e) {
                restore(before, objectName);
                store.update(store.find(current.uuid()).orElseThrow().withConfig(current.config(), clock.instant()));
                throw e;
            }
        });
    }

    /** The traffic share of the running canary of a service, or null when none runs. */
    public Integer canaryPercent(String idOrName) {
        return target.canaryPercent(ObjectNames.of(get(idOrName).record()), cluster::get);
    }

    private DeploymentConfig stableConfig(String objectName) {
        for (ServingTarget.Ref ref : target.owned(objectName)) {
            GenericKubernetesResource o = cluster.get(ref);
            String json = o == null || o.getMetadata().getAnnotations() == null ? null : o.getMetadata().getAnnotations().get(STABLE_ANNOTATION);
            if (json != null) {
                return ServiceJson.config(json);
            }
        }
        return null;
    }

    /** Marks the main object with the version that keeps serving while the canary runs. */
    private void stable(List<GenericKubernetesResource> objects, String objectName, DeploymentConfig stable) {
        ServingTarget.Ref main = target.main(objectName);
        for (GenericKubernetesResource o : objects) {
            if (o.getKind().equals(main.kind().kind()) && o.getMetadata().getName().equals(objectName)) {
                var annotations = new java.util.LinkedHashMap<String, String>();
                if (o.getMetadata().getAnnotations() != null) {
                    annotations.putAll(o.getMetadata().getAnnotations());
                }
                annotations.put(STABLE_ANNOTATION, ServiceJson.config(stable));
                o.getMetadata().setAnnotations(annotations);
            }
        }
    }

    /** Applies the objects, then deletes the ones the service owned before that this rendering no longer has. */
    private void applyAll(List<GenericKubernetesResource> objects, String objectName) {
        Set<String> wanted = new HashSet<>();
        for (GenericKubernetesResource o : objects) {
            cluster.apply(o);
            wanted.add(o.getKind() + "/" + o.getMetadata().getName());
        }
        for (ServingTarget.Ref ref : target.owned(objectName)) {
            if (!wanted.contains(ref.kind().kind() + "/" + ref.name())) {
                cluster.delete(ref);
            }
        }
    }

    private List<GenericKubernetesResource> snapshot(String objectName) {
        List<GenericKubernetesResource> out = new ArrayList<>();
        for (ServingTarget.Ref ref : target.owned(objectName).reversed()) {
            GenericKubernetesResource o = cluster.get(ref);
            if (o != null) {
                out.add(o);
            }
        }
        return out;
    }

    private void restore(List<GenericKubernetesResource> before, String objectName) {
        try {
            for (GenericKubernetesResource o : before) {
                o.getMetadata().setResourceVersion(null);
                o.getMetadata().setManagedFields(null);
                cluster.apply(o);
            }
            Set<String> had = new HashSet<>();
            before.forEach(o -> had.add(o.getKind() + "/" + o.getMetadata().getName()));
            for (ServingTarget.Ref ref : target.owned(objectName)) {
                if (!had.contains(ref.kind().kind() + "/" + ref.name())) {
                    cluster.delete(ref);
                }
            }
        } catch (FlywheelException e) {
            log.error("object={} could not put the previous objects back: {}; inspect them with kubectl -n {} get all", objectName,
                    e.getMessage(), cluster.namespace());
        }
    }

    private static String labelOf(GenericKubernetesResource o) {
        var labels = o.getMetadata().getLabels();
        String id = labels == null ? null : labels.get(Manifests.SERVICE_LABEL);
        return id == null ? "not made by Flywheel" : id;
    }

    // ---------------------------------------------------------------- reading, deleting

    @Override
    public List<Service> findModelServer(String pipelineName, String stepName, String modelName, boolean running) {
        List<Service> out = new ArrayList<>();
        for (ServiceRecord r : store.list(flavor(), pipelineName, stepName, modelName)) {
            ClusterService s = attach(r);
            ServiceStatus status = s.status();
            if (!running || status instanceof ServiceStatus.Active) {
                out.add(s);
            }
        }
        return out;
    }

    @Override
    public ClusterService get(String uuidOrPrefix) {
        ServiceRecord r = store.resolve(uuidOrPrefix);
        if (!flavor().equals(r.flavor())) {
            throw FlywheelException.conflict("Service " + r.uuid() + " belongs to the '" + r.flavor() + "' model deployer, not '"
                    + flavor() + "'; use a stack with that deployer (flywheel stack set NAME)");
        }
        return attach(r);
    }

    @Override
    public void deleteService(UUID uuid, Duration timeout, boolean force) {
        exclusively(() -> {
            ServiceRecord r = store.find(uuid).orElseThrow(() -> FlywheelException.notFound("No service " + uuid
                    + "; list them with: flywheel served-models list"));
            attach(r).deleteObjects();
            store.delete(uuid);
            log.info("service={} deleted with its objects in namespace {}", uuid, cluster.namespace());
            return null;
        });
    }

    ClusterService attach(ServiceRecord r) {
        return new ClusterService(r, target, cluster, store, this::renderingOf, clock, pollInterval);
    }

    /** What a stored service's objects look like now (for start after a stop, and observation context). */
    Rendering renderingOf(ServiceRecord r) {
        String objectName = ObjectNames.of(r);
        String uri;
        try {
            uri = storage.storageUri(r.config());
        } catch (FlywheelException e) {
            uri = "unknown://" + objectName;
        }
        return new Rendering(objectName, r.uuid(), r.config(), uri, settings, null);
    }
}
