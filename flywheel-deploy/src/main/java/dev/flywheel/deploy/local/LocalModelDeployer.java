package dev.flywheel.deploy.local;

import dev.flywheel.daemon.ExclusiveLock;
import dev.flywheel.deploy.DeploymentConfig;
import dev.flywheel.deploy.ModelDeployer;
import dev.flywheel.deploy.Placement;
import dev.flywheel.deploy.rollout.ProgressiveDeployer;
import dev.flywheel.deploy.rollout.RolloutTarget;
import dev.flywheel.deploy.service.DesiredState;
import dev.flywheel.deploy.service.Service;
import dev.flywheel.deploy.service.ServiceJson;
import dev.flywheel.deploy.service.ServiceRecord;
import dev.flywheel.deploy.service.ServiceStatus;
import dev.flywheel.deploy.service.ServiceStore;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.secret.SecretsStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The {@code local} model deployer: each deployment is a {@link LocalDaemonService} under
 * {@code .flywheel/services/}. A replace hot-swaps the new version into the running server (loaded and warmed up
 * beside the old one, then switched atomically), so no request fails; a version that does not load leaves the old
 * one serving. Deploys are serialized across processes by a file lock, so two CLIs never start two servers for the
 * same (pipeline, step, model), and a roll-out reads the registry and swaps under the same lock.
 */
public final class LocalModelDeployer implements ModelDeployer, ProgressiveDeployer {
    public static final String FLAVOR = "local";
    private static final Logger log = LoggerFactory.getLogger(LocalModelDeployer.class);

    private final ServiceStore store;
    private final Path servicesRoot;
    private final LocalDeployerSettings settings;
    private final AdminTokens tokens;
    private final Clock clock;
    /** Built on first use (a swap): a listing never needs it, and building one costs a short command dearly. */
    private HttpClient httpClient;

    /**
     * @param secrets the project's secrets store, where each service's admin token lives; asked for only when a token is
     *                issued, used or deleted
     */
    public LocalModelDeployer(ServiceStore store, Path servicesRoot, Supplier<SecretsStore> secrets, LocalDeployerSettings settings,
                              Clock clock) {
        this.tokens = new AdminTokens(secrets);
        this.store = store;
        this.servicesRoot = servicesRoot.toAbsolutePath().normalize();
        this.settings = settings;
        this.clock = clock;
    }

    private synchronized HttpClient http() {
        if (httpClient == null) {
            httpClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        }
        return httpClient;
    }

    @Override
    public String flavor() {
        return FLAVOR;
    }

    @Override
    public Service deployModel(DeploymentConfig config, Placement placement, Duration timeout) {
        if (!Files.isRegularFile(config.modelFile())) {
            throw FlywheelException.invalid("Model file " + config.modelFile() + " of model " + config.modelName() + " version "
                    + config.modelVersion() + " does not exist; check the registered version (flywheel models versions "
                    + config.modelName() + ")");
        }
        return exclusively(() -> switch (placement) {
            case Placement.StepService s -> {
                List<ServiceRecord> same = store.list(FLAVOR, null, null, config.modelName()).stream()
                        .filter(r -> Objects.equals(r.pipelineName(), config.pipelineName()) && Objects.equals(r.stepName(), config.stepName()))
                        .toList();
                yield same.isEmpty() ? startNew(config, null, timeout) : replace(attach(same.getFirst()), config, true, timeout);
            }
            case Placement.NewService n -> startNew(config, n.name(), timeout);
            case Placement.Existing e -> {
                ServiceRecord current = store.find(e.uuid()).orElseThrow(() -> FlywheelException.notFound("No service " + e.uuid()
                        + "; list them with: flywheel served-models list"));
                if (!current.modelName().equals(config.modelName())) {
                    throw FlywheelException.conflict("Service " + current.label() + " serves model '" + current.modelName() + "', not '"
                            + config.modelName() + "'; pick a service of that model (flywheel served-models list --model " + config.modelName() + ")");
                }
                DeploymentConfig kept = current.config().servingModelOf(config);
                yield replace(attach(current), kept, e.start(), timeout);
            }
        });
    }

    @Override
    public <T> T exclusively(Supplier<T> action) {
        // One lock for threads and processes alike, re-entrant: a deploy inside a roll-out does not wait for itself.
        try (ExclusiveLock ignored = ExclusiveLock.acquire(servicesRoot.resolve(".deploy.lock"))) {
            return action.get();
        }
    }

    private Service startNew(DeploymentConfig requested, String name, Duration timeout) {
        if (requested.port() != 0) {
            LocalDaemonService.requirePortFree(requested.port());
        }
        UUID uuid = UUID.randomUUID();
        ServiceFolder folder = ServiceFolder.of(servicesRoot, uuid);
        DeploymentConfig config;
        try {
            Files.createDirectories(folder.dir());
            config = copyModel(folder, requested);
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot prepare the folder " + folder.dir() + " of a new service: "
                    + e.getMessage() + "; check the disk space and permissions of " + servicesRoot);
        }
        ServiceFolder.writeAtomically(folder.config(), ServiceJson.config(config));
        ServiceRecord record = new ServiceRecord(uuid, FLAVOR, config, DesiredState.RUNNING, ServiceStatus.PENDING_STARTUP, null,
                null, 0, 0, 0, clock.instant(), clock.instant(), name, 0);
        try {
            tokens.issue(uuid);
            store.insert(record);
        } catch (FlywheelException e) {
            deleteTree(folder.dir());
            tokens.delete(uuid);
            throw e;
        }
        LocalDaemonService service = new LocalDaemonService(record, store, folder, settings, tokens, this::http, clock);
        log.info("service={} deploying model={} version={} pipeline={} step={}", uuid, config.modelName(), config.modelVersion(),
                config.pipelineName(), config.stepName());
        service.start(timeout);
        return service;
    }

    private Service replace(LocalDaemonService service, DeploymentConfig requested, boolean start, Duration timeout) {
        ServiceRecord current = service.record();
        ServiceFolder folder = ServiceFolder.of(servicesRoot, current.uuid());
        DeploymentConfig next = copyModel(folder, requested.withPort(current.config().port()));
        // While a server answers, a replace is a hot swap, whatever the supervisor's state (killed, restarting): no
        // request may fail. The status observation also re-adopts a server whose supervisor was killed.
        service.status();
        if (service.answers()) {
            service.swap(next, timeout);
            return service;
        }
        if (!start && service.record().desiredState() == DesiredState.STOPPED) {
            // Stopped on purpose: re-point it, so it serves the new version when started.
            ServiceFolder.writeAtomically(folder.config(), ServiceJson.config(next));
            store.update(service.record().withConfig(next, clock.instant()));
            return attach(store.find(current.uuid()).orElseThrow());
        }
        // Nothing serves now, so nothing can be dropped: start the service on the new version, and put the old
        // config back if the new version cannot start.
        DeploymentConfig previous = current.config();
        ServiceFolder.writeAtomically(folder.config(), ServiceJson.config(next));
        store.update(service.record().withConfig(next, clock.instant()));
        LocalDaemonService restarted = attach(store.find(current.uuid()).orElseThrow());
        try {
            restarted.start(timeout);
            return restarted;
        } catch (FlywheelException e) {
            ServiceFolder.writeAtomically(folder.config(), ServiceJson.config(previous));
            store.update(restarted.record().withConfig(previous, clock.instant()));
            throw e;
        }
    }

    /** The matching services, each with its status observed now; observed in parallel, so the slowest sets the pace. */
    @Override
    public List<Service> findModelServer(String pipelineName, String stepName, String modelName, boolean running) {
        return observed(store.list(FLAVOR, pipelineName, stepName, modelName)).stream()
                .filter(s -> !running || s.record().status() instanceof ServiceStatus.Active)
                .map(Service.class::cast)
                .toList();
    }

    /** Every local service, newest first, with its status observed now. */
    public List<LocalDaemonService> list() {
        return observed(store.list(FLAVOR, null, null, null));
    }

    private List<LocalDaemonService> observed(List<ServiceRecord> records) {
        List<LocalDaemonService> services = records.stream().map(this::attach).toList();
        if (services.size() < 2) {
            services.forEach(LocalDaemonService::status);
            return services;
        }
        // Platform threads: status() holds a monitor while it probes, which would pin a virtual thread on Java 21.
        try (ExecutorService observers = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().name("observe-", 0).factory())) {
            services.forEach(s -> observers.submit(s::status));
        }
        return services;
    }

    @Override
    public LocalDaemonService get(String uuidOrPrefix) {
        ServiceRecord r = store.resolve(uuidOrPrefix);
        if (!FLAVOR.equals(r.flavor())) {
            throw FlywheelException.conflict("Service " + r.uuid() + " belongs to the '" + r.flavor() + "' model deployer, not '"
                    + FLAVOR + "'; use a stack with that deployer (flywheel stack set NAME)");
        }
        return attach(r);
    }

    @Override
    public void deleteService(UUID uuid, Duration timeout, boolean force) {
        ServiceRecord r = store.find(uuid).orElseThrow(() -> FlywheelException.notFound("No service " + uuid
                + "; list them with: flywheel served-models list"));
        LocalDaemonService service = attach(r);
        service.stop(timeout, force);
        store.delete(uuid);
        tokens.delete(uuid);
        deleteTree(service.folder());
        log.info("service={} deleted", uuid);
    }

    /** A live handle on a stored service; its status is observed when asked. */
    public LocalDaemonService attach(ServiceRecord r) {
        return new LocalDaemonService(r, store, ServiceFolder.of(servicesRoot, r.uuid()), settings, tokens, this::http, clock);
    }

    @Override
    public DeploymentConfig prepareChallenger(UUID service, DeploymentConfig challenger) {
        ServiceRecord r = store.find(service).orElseThrow(() -> FlywheelException.notFound("No service " + service));
        return copyModel(ServiceFolder.of(servicesRoot, service), challenger.withPort(r.config().port()));
    }

    @Override
    public RolloutTarget target(UUID service) {
        ServiceFolder folder = ServiceFolder.of(servicesRoot, service);
        return new LocalRolloutTarget(folder, () -> tokens.token(folder), store, http(), clock);
    }

    @Override
    public void watch(UUID service) {
        ServiceFolder.writeAtomically(ServiceFolder.of(servicesRoot, service).rolloutMarker(), service + "\n");
    }

    /** Copies the model file and its signature into the service folder, so the service outlives its source. */
    private static DeploymentConfig copyModel(ServiceFolder folder, DeploymentConfig config) {
        try {
            Path dir = folder.modelDir(config.modelVersion());
            Files.createDirectories(dir);
            Path target = dir.resolve("model-" + config.format() + suffix(config.modelFile()));
            Path tmp = dir.resolve(target.getFileName() + ".tmp");
            Files.copy(config.modelFile(), tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            ServiceFolder.writeAtomically(dir.resolve("signature.json"), ServiceJson.MAPPER.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(config.signature()));
            return config.withVersion(config.modelVersion(), config.format(), target, config.signature());
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.DEPLOY_FAILED, "Cannot copy model file " + config.modelFile() + " into service folder "
                    + folder.dir() + ": " + e.getMessage());
        }
    }

    private static String suffix(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot);
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Service removed, but its folder " + dir + " could not be deleted: "
                    + e.getMessage() + "; delete it by hand");
        }
    }
}
