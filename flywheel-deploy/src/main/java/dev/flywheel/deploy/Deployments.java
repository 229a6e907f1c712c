package dev.flywheel.deploy;

import dev.flywheel.deploy.service.DesiredState;
import dev.flywheel.deploy.service.Service;
import dev.flywheel.deploy.service.ServiceRecord;
import dev.flywheel.registry.ModelRef;
import dev.flywheel.registry.ModelRegistry;
import dev.flywheel.registry.ModelVersion;
import dev.flywheel.registry.Stage;
import dev.flywheel.registry.StageTransition;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Deployments of registered model versions through a stack's {@link ModelDeployer}, kept in agreement with the
 * registry: what {@code flywheel models deploy|promote|rollback|alias|delete} and {@code flywheel served-models} call.
 *
 * <p>One truth: every service records what it follows (a stage such as production, an alias, or a fixed version).
 * A stage or alias change made here ({@link #promote}, {@link #rollback}, {@link #alias}) is rolled out to the services
 * that follow it (hot swap while they answer) and the returned {@link Rollout} says what happened to each, or why
 * not. A roll-out reads the registry under the deployer's lock, so racing changes converge on what the registry says
 * last. Changes made on the registry alone show as a mismatch in {@link #list} until {@link #rollOut} runs.
 * Thread-safe.
 */
public final class Deployments {
    private static final Logger log = LoggerFactory.getLogger(Deployments.class);
    private final ModelRegistry registry;
    private final ModelDeployer deployer;
    private final Consumer<UUID> deleted;

    public Deployments(ModelRegistry registry, ModelDeployer deployer) {
        this(registry, deployer, uuid -> {
        });
    }

    /** {@code deleted} is told each service deleted here (its rollout, if one was active, ends with it). */
    public Deployments(ModelRegistry registry, ModelDeployer deployer, Consumer<UUID> deleted) {
        this.registry = registry;
        this.deployer = deployer;
        this.deleted = deleted;
    }

    public ModelDeployer deployer() {
        return deployer;
    }

    public ModelRegistry registry() {
        return registry;
    }

    /** Deploys a registered version outside any pipeline; with {@code replace}, switches the server that serves that model. */
    public Service deploy(ModelRef ref, boolean replace, int port, Duration timeout) {
        DeployRequest request = DeployRequest.of(ref, timeout);
        return deploy(replace ? request.replacing(null) : port != 0 ? request.asNew(null, port) : request);
    }

    /**
     * Deploys what {@code request} names. The service follows the reference: a stage, an alias, or the version itself.
     *
     * @throws FlywheelException CONFLICT when the model is served already and neither replace nor a new server was
     *         asked for, or replace finds several servers and no {@code service} picks one (the message lists them)
     */
    public Service deploy(DeployRequest request) {
        ModelVersion version = registry.get(request.ref());
        DeploymentConfig config = config(version).following(request.ref()).withPort(request.port());
        String model = version.model();
        return deployer.exclusively(() -> {
            if (request.startNew()) {
                return deployer.deployModel(config, new Placement.NewService(request.name()), request.timeout());
            }
            List<Service> serving = deployer.findModelServer(null, null, model, false).stream()
                    .filter(s -> s.record().desiredState() == DesiredState.RUNNING).toList();
            if (request.service() != null) {
                Service target = deployer.get(request.service());
                return deployer.deployModel(config, new Placement.Existing(target.record().uuid(), true), request.timeout());
            }
            if (serving.isEmpty()) {
                return deployer.deployModel(config, new Placement.NewService(null), request.timeout());
            }
            if (!request.replace()) {
                throw FlywheelException.conflict("Model '" + model + "' is served already by " + list(serving) + ". Switch it to version "
                        + version.version() + " with: flywheel models deploy " + request.ref() + " --replace"
                        + (serving.size() > 1 ? " --service ID" : "") + "; or start another server beside it with --new (name it with --as "
                        + model + "-v" + version.version() + ")");
            }
            if (serving.size() > 1) {
                throw FlywheelException.conflict("Model '" + model + "' is served by " + serving.size() + " services: " + list(serving)
                        + "; pick the one to replace with --service ID (or a name)");
            }
            return deployer.deployModel(config, new Placement.Existing(serving.getFirst().record().uuid(), true), request.timeout());
        });
    }

    /**
     * What {@link #deploy(DeployRequest)} would apply, without applying anything: the same choice of service (new, or
     * the one to replace), rendered by the deployer as manifests ({@code flywheel models deploy ... --render}).
     *
     * @throws FlywheelException INVALID_ARGUMENT when the stack's deployer applies no manifests ({@code local}); the
     *         same CONFLICT as a deploy when the request is ambiguous
     */
    public String render(DeployRequest request) {
        ModelVersion version = registry.get(request.ref());
        DeploymentConfig config = config(version).following(request.ref()).withPort(request.port());
        String model = version.model();
        return deployer.exclusively(() -> {
            if (request.startNew()) {
                return deployer.render(config, new Placement.NewService(request.name()));
            }
            if (request.service() != null) {
                return deployer.render(config, new Placement.Existing(deployer.get(request.service()).record().uuid(), true));
            }
            List<Service> serving = deployer.findModelServer(null, null, model, false).stream()
                    .filter(s -> s.record().desiredState() == DesiredState.RUNNING).toList();
            if (serving.isEmpty()) {
                return deployer.render(config, new Placement.NewService(null));
            }
            if (!request.replace()) {
                throw FlywheelException.conflict("Model '" + model + "' is served already by " + list(serving) + "; render the switch with "
                        + "--replace, or another server with --new");
            }
            if (serving.size() > 1) {
                throw FlywheelException.conflict("Model '" + model + "' is served by " + serving.size() + " services: " + list(serving)
                        + "; pick the one to replace with --service ID (or a name)");
            }
            return deployer.render(config, new Placement.Existing(serving.getFirst().record().uuid(), true));
        });
    }

    /** The deployment of a registered version, as a pipeline step or the CLI hands it to a deployer (fixed version, no origin). */
    public DeploymentConfig config(ModelVersion version) {
        return DeploymentConfig.adHoc(version.model(), version.version(), version.format(), registry.modelFile(version), version.signature(),
                version.file().sha256());
    }

    // ---------------------------------------------------------------- registry changes, rolled out

    /** A stage change in the registry and its roll-out (empty when {@code rollOut} was false or production did not move). */
    public record Change(StageTransition transition, Optional<Rollout> rollout) {
    }

    /**
     * Moves a version to {@code stage} and, with {@code rollOut}, rolls the change out to the services that follow that
     * stage (and the stage the version left).
     */
    public Change promote(String name, int version, Stage stage, String actor, boolean rollOut, Duration timeout) {
        StageTransition t = registry.transition(name, version, stage, actor);
        return new Change(t, rollOut && !t.changes().isEmpty() ? Optional.of(rollOut(name, timeout)) : Optional.empty());
    }

    /** Returns production to the previous production version and, with {@code rollOut}, switches the servers that follow it. */
    public Change rollback(String name, String actor, boolean rollOut, Duration timeout) {
        StageTransition t = registry.rollbackTransition(name, actor);
        return new Change(t, rollOut ? Optional.of(rollOut(name, timeout)) : Optional.empty());
    }

    /** Points an alias at a version and, with {@code rollOut}, switches the servers that follow the alias. */
    public Optional<Rollout> alias(String name, int version, String alias, boolean rollOut, Duration timeout) {
        registry.alias(name, version, alias);
        return rollOut ? Optional.of(rollOut(name, timeout)) : Optional.empty();
    }

    /**
     * Brings every service of {@code model} that follows a stage or an alias to the version it names now: a hot swap
     * while it answers, a start on the new version when it should run but does not, a re-point when it is stopped.
     * Services that follow a fixed version are left alone. A failure on one service is reported and the others go on.
     */
    public Rollout rollOut(String model, Duration timeout) {
        return deployer.exclusively(() -> rollOutLocked(model, null, timeout));
    }

    private Rollout rollOutLocked(String model, UUID skip, Duration timeout) {
        List<Rollout.ServiceChange> changes = new ArrayList<>();
        for (Service s : deployer.findModelServer(null, null, model, false)) {
            ServiceRecord r = s.record();
            ModelRef followed = r.config().followed();
            if (followed instanceof ModelRef.Version || r.uuid().equals(skip)) {
                continue;
            }
            String follows = r.config().follows();
            Optional<ModelVersion> target = resolve(followed);
            if (target.isEmpty()) {
                changes.add(new Rollout.ServiceChange(r.uuid(), r.label(), follows, r.modelVersion(), r.modelVersion(), Rollout.Outcome.SKIPPED,
                        followed.describe() + " names no version now"));
                continue;
            }
            int to = target.get().version();
            boolean answers = s.isRunning();
            if (r.modelVersion() == to && (answers || r.desiredState() == DesiredState.STOPPED)) {
                changes.add(new Rollout.ServiceChange(r.uuid(), r.label(), follows, to, to, Rollout.Outcome.UNCHANGED, ""));
                continue;
            }
            try {
                deployer.deployModel(config(target.get()).following(followed), new Placement.Existing(r.uuid(), false), timeout);
                Rollout.Outcome outcome = answers ? Rollout.Outcome.SWAPPED
                        : r.desiredState() == DesiredState.STOPPED ? Rollout.Outcome.REPOINTED : Rollout.Outcome.STARTED;
                changes.add(new Rollout.ServiceChange(r.uuid(), r.label(), follows, r.modelVersion(), to, outcome, ""));
            } catch (FlywheelException e) {
                log.warn("service={} roll-out of model={} version={} failed: {}", r.uuid(), model, to, e.getMessage());
                changes.add(new Rollout.ServiceChange(r.uuid(), r.label(), follows, r.modelVersion(), r.modelVersion(), Rollout.Outcome.FAILED,
                        e.getMessage()));
            }
        }
        return new Rollout(model, changes);
    }

    /** The result of {@link #deployAndPromote}: the service that serves the candidate, the promotion, the other services. */
    public record Release(Service service, StageTransition promotion, Rollout rollout) {
    }

    /**
     * What a pipeline's deployer step does: serves {@code candidate} on the step's own service (hot swap while it
     * answers; started when there is none and no other service follows production), then promotes it to production,
     * then rolls production out to every other service that follows it. All under the deployer's lock, so no roll-out
     * of another process interleaves. A deploy that fails leaves the old version serving and production unchanged.
     */
    public Release deployAndPromote(ModelVersion candidate, String pipeline, String run, String step, String actor, Duration timeout) {
        ModelRef production = ModelRef.stage(candidate.model(), Stage.PRODUCTION);
        DeploymentConfig config = config(candidate).fromStep(pipeline, run, step).following(production);
        return deployer.exclusively(() -> {
            List<Service> services = deployer.findModelServer(null, null, candidate.model(), false);
            Optional<Service> own = services.stream()
                    .filter(s -> Objects.equals(s.record().pipelineName(), pipeline) && Objects.equals(s.record().stepName(), step)).findFirst();
            Optional<Service> follower = services.stream().filter(s -> s.record().desiredState() == DesiredState.RUNNING
                    && s.record().config().followed() instanceof ModelRef.InStage st && st.stage() == Stage.PRODUCTION).findFirst();
            Service served = own.isEmpty() && follower.isPresent()
                    ? deployer.deployModel(config, new Placement.Existing(follower.get().record().uuid(), true), timeout)
                    : deployer.deployModel(config, new Placement.StepService(), timeout);
            StageTransition promotion = registry.transition(candidate.model(), candidate.version(), Stage.PRODUCTION, actor);
            Rollout rollout = rollOutLocked(candidate.model(), served.record().uuid(), timeout);
            return new Release(served, promotion, rollout);
        });
    }

    /**
     * Switches the production version without changing the registry, for a deployer step that does not promote:
     * the step's own service serves {@code version}, fixed.
     */
    public Service deployFixed(ModelVersion version, String pipeline, String run, String step, Duration timeout) {
        DeploymentConfig config = config(version).fromStep(pipeline, run, step).following(version.ref());
        return deployer.deployModel(config, new Placement.StepService(), timeout);
    }

    // ---------------------------------------------------------------- reading

    /** The matching services with their status observed now (see {@link ModelDeployer#findModelServer}). */
    public List<Service> list(String pipeline, String step, String model, boolean running) {
        return deployer.findModelServer(pipeline, step, model, running);
    }

    /**
     * The services matching the filters, each with what it follows and whether it serves that (status observed now,
     * by {@link ModelDeployer#findModelServer}, which observes them all at once).
     */
    public List<ServiceView> views(String pipeline, String step, String model, boolean running) {
        Map<String, Optional<ModelVersion>> resolved = new HashMap<>();
        List<ServiceView> out = new ArrayList<>();
        for (Service s : deployer.findModelServer(pipeline, step, model, running)) {
            out.add(view(s, resolved));
        }
        return out;
    }

    /** One service with what it follows (status observed now). */
    public ServiceView view(Service service) {
        service.status();
        return view(service, new HashMap<>());
    }

    private ServiceView view(Service s, Map<String, Optional<ModelVersion>> resolved) {
        ServiceRecord r = s.record();
        ModelRef followed = r.config().followed();
        if (followed instanceof ModelRef.Version) {
            return new ServiceView(s, r, r.config().follows(), r.modelVersion(), null);
        }
        Optional<ModelVersion> target = resolved.computeIfAbsent(r.modelName() + "\u0000" + r.config().follows(), k -> resolve(followed));
        if (target.isEmpty()) {
            return new ServiceView(s, r, r.config().follows(), 0, followed.describe() + " names no version now");
        }
        int expected = target.get().version();
        return new ServiceView(s, r, r.config().follows(), expected, expected == r.modelVersion() ? null
                : followed.describe() + " is version " + expected + ", the service serves version " + r.modelVersion());
    }

    public Service get(String idOrName) {
        return deployer.get(idOrName);
    }

    /** Moves a running canary's share of traffic (see {@link ModelDeployer#traffic}). */
    public Service traffic(String idOrName, int percent, Duration timeout) {
        return deployer.traffic(idOrName, percent, timeout);
    }

    public void delete(UUID uuid, Duration timeout, boolean force) {
        deployer.deleteService(uuid, timeout, force);
        deleted.accept(uuid);
    }

    // ---------------------------------------------------------------- deleting versions

    /**
     * Deletes a version from the registry unless a service that should run serves it. With {@code force} it is
     * deleted anyway and the services that keep serving it (from their own copy of the model file) are returned.
     *
     * @throws FlywheelException CONFLICT naming the services that serve it, when not forced
     */
    public List<ServiceRecord> deleteVersion(String name, int version, boolean force, String actor) {
        registry.get(name, version);
        List<ServiceRecord> serving = deployer.findModelServer(null, null, name, false).stream().map(Service::record)
                .filter(r -> r.modelVersion() == version && r.desiredState() == DesiredState.RUNNING).toList();
        if (!serving.isEmpty() && !force) {
            throw FlywheelException.conflict("Version " + version + " of model '" + name + "' is served by " + serving.stream()
                    .map(Deployments::describe).collect(Collectors.joining(", ")) + "; switch " + (serving.size() > 1 ? "them" : "it")
                    + " to another version first (flywheel models deploy " + name + " VERSION --replace --service ID), or delete anyway with "
                    + "--force (the service keeps serving its own copy of the model)");
        }
        registry.deleteVersion(name, version, actor);
        return serving;
    }

    // ---------------------------------------------------------------- helpers

    private Optional<ModelVersion> resolve(ModelRef ref) {
        try {
            return Optional.of(registry.get(ref));
        } catch (FlywheelException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static String list(List<Service> services) {
        return services.stream().map(s -> describe(s.record())).collect(Collectors.joining(", "));
    }

    static String describe(ServiceRecord r) {
        return "service " + r.label() + " (version " + r.modelVersion() + ", follows " + r.config().follows() + ", "
                + r.status().text() + (r.predictionUrl() == null ? "" : ", " + r.predictionUrl()) + ")";
    }
}
