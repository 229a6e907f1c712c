package dev.flywheel.runtime;

import dev.flywheel.deploy.Deployments;
import dev.flywheel.deploy.ModelDeployer;
import dev.flywheel.engine.Orchestrator;
import dev.flywheel.engine.artifact.ArtifactIo;
import dev.flywheel.engine.cache.CodeVersion;
import dev.flywheel.engine.run.OutputHook;
import dev.flywheel.engine.run.ProcessOwner;
import dev.flywheel.engine.run.RunRecorder;
import dev.flywheel.engine.run.StepComponents;
import dev.flywheel.engine.run.StepRunner;
import dev.flywheel.cd.spi.DeploymentBackend;
import dev.flywheel.deploy.RegistryDeploymentBackend;
import dev.flywheel.engine.stack.Stack;
import dev.flywheel.engine.stack.StackComponent;
import dev.flywheel.engine.stack.Stacks;
import dev.flywheel.formats.ModelFormats;
import dev.flywheel.registry.ModelRegistry;
import dev.flywheel.schedule.Schedules;
import dev.flywheel.schedule.WebhookSecrets;
import dev.flywheel.schedule.trigger.ModelWatch;
import dev.flywheel.schedule.daemon.ProcessRunLauncher;
import dev.flywheel.schedule.daemon.RunLauncher;
import dev.flywheel.schedule.daemon.Scheduler;
import dev.flywheel.schedule.daemon.SchedulerConfig;
import dev.flywheel.schedule.daemon.SchedulerDaemon;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.RunListener;
import dev.flywheel.sdk.RunOptions;
import dev.flywheel.sdk.RunResult;
import dev.flywheel.sdk.alert.Alerter;
import dev.flywheel.sdk.flavor.ComponentKind;
import dev.flywheel.sdk.validate.DataValidator;
import dev.flywheel.engine.StepOperator;
import dev.flywheel.sdk.flavor.Flavors;
import dev.flywheel.sdk.flavor.References;
import dev.flywheel.sdk.secret.SecretsStore;
import dev.flywheel.store.artifact.ArtifactStore;
import dev.flywheel.store.materialize.Materializers;
import dev.flywheel.deploy.rollout.AlertingRolloutOutcomes;
import dev.flywheel.deploy.rollout.RegistryRolloutOutcomes;
import dev.flywheel.deploy.rollout.RolloutOutcomes;
import dev.flywheel.deploy.rollout.RolloutStore;
import dev.flywheel.deploy.rollout.Rollouts;
import dev.flywheel.store.metadata.ArtifactRecords;
import dev.flywheel.store.metadata.MetadataStore;
import dev.flywheel.store.metadata.RunRecords;
import dev.flywheel.store.transfer.BlobColumns;
import dev.flywheel.store.transfer.ProjectExport;
import dev.flywheel.store.transfer.ProjectImport;
import dev.flywheel.store.transfer.TransferReport;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The handle to one Flywheel project: its stores, its stack's components, and one facade per concept
 * ({@link #runs()}, {@link #artifacts()}, {@link #pipelines()}, {@link #models()}). The CLI, the server and
 * {@code Pipeline.run()} are thin shells over this class. Thread-safe; close it to release the stores.
 *
 * <p>Every component is built through its flavor ({@link dev.flywheel.sdk.flavor.Flavor}, found with ServiceLoader
 * on {@link FlywheelConfig#classLoader}) and held by its interface. Only the metadata store is opened at once (its
 * flavor is named by {@code .flywheel/project.properties}, see {@link ProjectConfig}); every other part is built when
 * first used, so a short command such as {@code flywheel runs list} builds nothing else.
 *
 * <pre>{@code
 * try (Flywheel flywheel = Flywheel.create(cfg -> cfg.home = Path.of("/tmp/demo/.flywheel"))) {
 *     RunResult result = flywheel.runs().run(pipeline, RunOptions.defaults(), RunListener.NONE);
 * }
 * }</pre>
 */
public final class Flywheel implements AutoCloseable {
    private final ProjectHome home;
    private final FlywheelConfig config;
    private final Flavors flavors;
    private final ProjectConfig project;
    private final Components parts;
    private final MetadataStore control;
    private final MetadataStore metadata;
    private final StepComponents components = new StepComponents();
    private final Runs runs;
    private final Artifacts artifacts;
    private final Pipelines pipelines;
    private final Schedules schedules;
    private final Lazy<Stacks> stacks;
    private final Lazy<Stack> stack;
    private final Lazy<SecretsStore> secrets;
    private final Lazy<ArtifactStore> artifactStore;
    private final Lazy<ArtifactIo> artifactIo;
    private final Lazy<ModelRegistry> models;
    private final Lazy<ModelDeployer> deployer;
    private final Lazy<Deployments> deployments;
    private final Lazy<Rollouts> rollouts;
    private final Lazy<Orchestrator> orchestrator;
    private final Lazy<Optional<Flywheel>> baseline;
    private final Lazy<Monitoring> monitoring;
    private final Lazy<Alerts> alerts;

    private Flywheel(FlywheelConfig config, ProjectHome home, Flavors flavors, ProjectConfig project, Map<String, String> env) {
        this.config = config;
        this.home = home;
        this.flavors = flavors;
        this.project = project;
        this.secrets = Lazy.of(() -> parts().get(stacks().projectComponent(ComponentKind.SECRETS_STORE), SecretsStore.class));
        this.parts = new Components(flavors, home.dir(), config.clock, config.classLoader, this::resolveSecret, overrides(config));
        this.control = parts.create(flavors.require(ComponentKind.METADATA_STORE, project.metadataFlavor()), "project",
                project.metadataSettings(), References.Resolver.environment(env, "the metadata store is opened before the secrets"
                        + " it holds; use {{env.VAR}} in " + ProjectConfig.FILE), MetadataStore.class);
        // The project's store holds the stacks and the secrets; a stack may keep its runs, artifacts' records, models and
        // services in a metadata store of its own, so staging never writes production's database (and the reverse).
        Stacks projectStacks = new Stacks(control, flavors, this::resolveSecret, config.clock);
        this.stacks = Lazy.of(() -> projectStacks);
        this.stack = Lazy.of(() -> projectStacks.resolve(config.stack));
        try {
            this.metadata = projectStacks.ownMetadataStore(config.stack).map(c -> parts.get(c, MetadataStore.class)).orElse(control);
        } catch (RuntimeException e) {
            parts.close();
            control.close();
            throw e;
        }
        parts.offerToProjectKinds(MetadataStore.class, () -> control);
        this.artifactStore = Lazy.of(() -> parts.get(stack.get().component(ComponentKind.ARTIFACT_STORE), ArtifactStore.class));
        this.artifactIo = Lazy.of(() -> new ArtifactIo(artifactStore.get(), Materializers.standard(config.classLoader)));
        this.models = Lazy.of(() -> new ModelRegistry(metadata, artifactStore.get(), ModelFormats.load(config.classLoader), config.clock));
        this.deployer = Lazy.of(() -> parts.get(stack.get().component(ComponentKind.MODEL_DEPLOYER), ModelDeployer.class));
        // A service deleted mid-rollout takes its rollout with it (aborted, saying why) rather than leaving it progressing.
        this.deployments = Lazy.of(() -> new Deployments(models.get(), deployer.get(), uuid -> rollouts().serviceDeleted(uuid)));
        this.rollouts = Lazy.of(() -> new Rollouts(new RolloutStore(metadata), deployments.get(), rolloutOutcomes(), config.clock));
        this.orchestrator = Lazy.of(() -> parts.get(stack.get().component(ComponentKind.ORCHESTRATOR), Orchestrator.class));
        this.monitoring = Lazy.of(() -> new Monitoring(models.get(), artifactStore.get(), id -> artifacts().load(id).value(),
                dev.flywheel.predictionlog.PredictionLogSettings.inProject(home.dir()), r -> resolveReference(r, env), config.clock));
        Lazy<RunRecorder> recorder = Lazy.of(() -> new RunRecorder(metadata));
        Lazy<StepRunner> stepRunner = Lazy.of(() -> {
            List<OutputHook> hooks = List.of(new ModelRegistration(models.get(), monitoring.get()));
            return new StepRunner(recorder.get(), artifactIo.get(), new CodeVersion(), hooks, config.clock);
        });
        parts.offer(MetadataStore.class, () -> metadata);
        parts.offer(ArtifactStore.class, artifactStore);
        parts.offer(SecretsStore.class, secrets);
        parts.offer(ArtifactIo.class, artifactIo);
        parts.offer(ModelRegistry.class, models);
        parts.offer(RunRecorder.class, recorder);
        parts.offer(StepRunner.class, stepRunner);
        parts.offer(StepComponents.class, () -> components);
        components.register(ModelRegistry.class, models);
        components.register(ModelDeployer.class, deployer);
        components.register(SecretsStore.class, secrets);
        components.register(DataValidator.class, Lazy.of(() -> parts.get(stack.get().component(ComponentKind.DATA_VALIDATOR), DataValidator.class)));
        this.alerts = Lazy.of(() -> new Alerts(home.dir().resolve("alerts"), () -> {
            StackComponent c = stack.get().find(ComponentKind.ALERTER).orElseThrow(() -> FlywheelException.invalid("stack '"
                    + stack.get().name() + "' has no alerter; register one (flywheel alerter register NAME --flavor webhook ...) and a stack"
                    + " with it (flywheel stack register STACK --alerter NAME --set)"));
            return new Alerts.Named(c.name(), parts.get(c, Alerter.class));
        }, config.clock));
        // steps' alerts go through the recording facade, so flywheel alerts list shows them with the scheduler's
        components.register(Alerter.class, Lazy.of(() -> alerts.get().recording()));
        components.register(StepOperator.class, Lazy.of(() -> stack.get().find(ComponentKind.STEP_OPERATOR)
                .map(c -> parts.get(c, StepOperator.class)).orElse(null)));
        // What the ready-made deployment steps (flywheel-cd) see of the registry and the deployer.
        this.baseline = Lazy.of(this::openBaseline);
        components.register(DeploymentBackend.class, Lazy.of(() -> {
            DeploymentBackend own = new RegistryDeploymentBackend(deployments.get(), rollouts::get);
            return baseline.get().<DeploymentBackend>map(b -> new ProductionBaseline(own, b.models())).orElse(own);
        }));
        this.runs = new Runs(orchestrator, new RunRecords(metadata), new ArtifactRecords(metadata), this::failAbandonedRuns,
                () -> GitSource.fromEnvironment(env).find(GitSource.candidates(config.classLoader, home.dir())));
        this.artifacts = new Artifacts(metadata, artifactIo, config.classLoader);
        this.pipelines = new Pipelines(config.classLoader, new RunRecords(metadata));
        this.schedules = new Schedules(metadata, config.clock, new LaunchChecks(pipelines), new WebhookSecrets(secrets::get),
                new MonitoringWatch(monitoring));
    }

    private Components parts() {
        return parts;
    }

    /** Another handle on this project, on stack {@code name} (its own stores when it has them); the caller closes it. */
    private Flywheel onStack(String name) {
        return create(cfg -> {
            cfg.home = home.dir();
            cfg.createIfMissing = false;
            cfg.classLoader = config.classLoader;
            cfg.clock = config.clock;
            cfg.stack = name;
        });
    }

    /** A handle on {@link FlywheelConfig#baselineStack} (same project, same class path), or empty when there is none. */
    private Optional<Flywheel> openBaseline() {
        String name = config.baselineStack;
        if (name == null) {
            return Optional.empty();
        }
        if (!config.baselineStackRequired && (name.equals(stack().name())
                || stacks().list().stream().noneMatch(s -> s.name().equals(name)))) {
            return Optional.empty();
        }
        if (name.equals(stack().name())) {
            throw FlywheelException.invalid("--baseline-stack " + name + " is the stack the run runs on; name another stack (production) or leave it out");
        }
        stacks().describe(name); // NOT_FOUND naming the stack before anything is opened
        return Optional.of(onStack(name));
    }

    /**
     * Copies version {@code versionRef} of {@code model} from this handle's stack to {@code toStack}'s stores (checked by
     * sha256), promotes it to production there and rolls it out to that stack's servers; {@code deploy} starts one when
     * none serves the model. Idempotent; CONFLICT when the target has another file under that version number.
     */
    public StackPromotion.Result promoteTo(String toStack, String model, String versionRef, boolean deploy, String actor,
                                           java.time.Duration timeout) {
        stacks().describe(toStack);
        try (Flywheel target = onStack(toStack)) {
            return StackPromotion.promote(this, target, model, versionRef, deploy, actor, timeout);
        }
    }

    /**
     * Releases what a CI report accepted ({@code flywheel ci release --report report.json}): the version the gate passed
     * on the report's stack is promoted to its baseline stack ({@link #promoteTo}). Refuses a report whose gate
     * rejected (GATE_REJECTED), failed or had no baseline stack.
     */
    public StackPromotion.Result release(Path reportJson, boolean deploy, String actor, java.time.Duration timeout) {
        CiRelease release = CiRelease.read(reportJson);
        try (Flywheel from = onStack(release.stack())) {
            return from.promoteTo(release.baseline(), release.model(), String.valueOf(release.version()), deploy, actor, timeout);
        }
    }

    /**
     * The report CI posts on a pull request about run {@code runId} of this handle's stack: code version, validation,
     * drift and metrics against {@link FlywheelConfig#baselineStack}'s production version, the gate's decision and what
     * a merge would deploy. Reads only.
     */
    public CiReport ciReport(String runId) {
        return new CiReports(this, baseline.get().orElse(this)).build(runId);
    }

    /** {@code {{env.VAR}}} from the environment this handle was opened in, {@code {{secret.NAME.KEY}}} from the secrets store. */
    private String resolveReference(References.Reference r, Map<String, String> env) {
        if (References.ENV.equals(r.namespace())) {
            String v = env.get(r.name());
            if (v == null) {
                throw FlywheelException.invalid(r + " refers to environment variable " + r.name() + ", which is not set here; set it"
                        + " where Flywheel runs (for the scheduler daemon: where it was started), or store the value as a secret");
            }
            return v;
        }
        return resolveSecret(r);
    }

    /** {@code {{secret.NAME.KEY}}} from the project's secrets store. */
    private String resolveSecret(References.Reference r) {
        if (!References.SECRET.equals(r.namespace())) {
            throw FlywheelException.invalid(r + " cannot be used in component settings; {{env.VAR}} is only for "
                    + ProjectConfig.FILE + ". Store the value as a secret: flywheel secret create NAME -v KEY=VALUE");
        }
        return secrets.get().get(r.name())
                .orElseThrow(() -> FlywheelException.invalid(r + " refers to secret '" + r.name() + "', which does not exist; create it:"
                        + " flywheel secret create " + r.name() + " -v " + r.key() + "=VALUE"))
                .value(r.key());
    }

    /** Settings this handle's configuration overrides for every stack: {@code run --parallelism}, fsync. */
    private static Map<ComponentKind, Map<String, String>> overrides(FlywheelConfig config) {
        Map<ComponentKind, Map<String, String>> out = new EnumMap<>(ComponentKind.class);
        if (config.maxParallelism != null) {
            out.put(ComponentKind.ORCHESTRATOR, Map.of("maxParallelism", String.valueOf(config.maxParallelism)));
        }
        if (config.fsyncArtifacts) {
            out.put(ComponentKind.ARTIFACT_STORE, Map.of("fsync", "true"));
        }
        return out;
    }

    /** Opens the project found from the working directory (or {@code FLYWHEEL_HOME}), creating it if needed. */
    public static Flywheel open() {
        return create(cfg -> {
        });
    }

    public static Flywheel create(Consumer<FlywheelConfig> configure) {
        FlywheelConfig config = new FlywheelConfig();
        configure.accept(config);
        if (config.maxParallelism != null && config.maxParallelism < 1) {
            throw FlywheelException.invalid("maxParallelism must be at least 1, got " + config.maxParallelism);
        }
        ProjectHome home;
        if (config.home != null) {
            home = new ProjectHome(config.home);
        } else if (config.createIfMissing) {
            home = ProjectHome.locate(Path.of(""), System.getenv())
                    .orElseGet(() -> new ProjectHome(Path.of("").toAbsolutePath().resolve(ProjectHome.FOLDER)));
        } else {
            home = ProjectHome.require(Path.of(""), System.getenv());
        }
        ProjectConfig existing = ProjectConfig.read(home.dir());
        ProjectConfig project = config.project != null ? config.project : existing;
        boolean written = false;
        if (config.createIfMissing) {
            boolean olderSqliteProject = !home.hasConfig() && java.nio.file.Files.isRegularFile(home.database());
            if (config.project != null && (home.hasConfig() || olderSqliteProject) && !existing.equals(config.project)) {
                throw FlywheelException.invalid("The project in " + home.dir() + " already keeps its metadata in "
                        + existing.where() + "; it cannot be initialized again with " + config.project.where()
                        + ". Use another folder, or move data between stores with flywheel export / flywheel import");
            }
            boolean existed = home.exists();
            home.create();
            written = project.writeIfAbsent(home.dir());
            try {
                return new Flywheel(config, home, Flavors.discover(config.classLoader), project, System.getenv());
            } catch (RuntimeException e) {
                if (written) {
                    // the store could not be opened: leave no project behind that names it
                    home.forgetConfig(existed);
                }
                throw e;
            }
        }
        home.requireProject(project.metadataFlavor().equals("sqlite"));
        return new Flywheel(config, home, Flavors.discover(config.classLoader), project, System.getenv());
    }

    /**
     * Writes this project (every table but local daemons and secrets, and every blob they refer to, each checked
     * against its recorded sha256) into {@code dir}, which must not exist or be empty. The project is only read.
     */
    public TransferReport exportTo(Path dir) {
        return new ProjectExport(metadata, artifactStore(), BlobColumns.flywheel(), config.clock).exportTo(dir);
    }

    /**
     * Loads an export into this project, which must have no runs, artifacts, models, schedules or triggers yet: blobs
     * into the active stack's artifact store, rows in one transaction, checked by counts and hashes. A failure leaves
     * this project's metadata as it was.
     */
    public TransferReport importFrom(Path dir) {
        return new ProjectImport(metadata, artifactStore()).importFrom(dir);
    }

    /** Where this project's metadata and artifacts live, for {@code flywheel info}. */
    public ProjectInfo info() {
        return ProjectInfo.of(this);
    }

    public ProjectHome home() {
        return home;
    }

    public Runs runs() {
        return runs;
    }

    /** Reference profiles with model versions, drift of logged predictions. */
    public Monitoring monitoring() {
        return monitoring.get();
    }

    public Artifacts artifacts() {
        return artifacts;
    }

    public Pipelines pipelines() {
        return pipelines;
    }

    /** Schedules and triggers: register, list, describe, pause, resume, update, delete. */
    public Schedules schedules() {
        return schedules;
    }

    /**
     * A scheduler daemon over this project's store (not started): it launches due runs through {@code launcher}.
     * Its folder for logs and the webhook port file is {@code config.stateDir()}, normally
     * {@code home().daemons("scheduler")}.
     */
    public Scheduler scheduler(RunLauncher launcher, SchedulerConfig schedulerConfig) {
        return new Scheduler(metadata, config.clock, launcher, schedulerConfig, new WebhookSecrets(secrets::get), new MonitoringWatch(monitoring),
                alerts.get().recording());
    }

    /** What drift and performance triggers read of a deployed model: its drift and live metrics, from {@link #monitoring()}. */
    public ModelWatch modelWatch() {
        return new MonitoringWatch(monitoring);
    }

    /** Alerts: posted through the active stack's alerter, every delivery recorded ({@code flywheel alerts list}). */
    public Alerts alerts() {
        return alerts.get();
    }

    /** This project's scheduler daemon ({@code .flywheel/scheduler/}): start, stop, status. */
    public SchedulerDaemon schedulerDaemon() {
        return new SchedulerDaemon(home.daemons("scheduler"), config.clock);
    }

    /**
     * Runs this project's scheduler in this process until the JVM shuts down, launching runs with {@code cliCommand}
     * ({@code flywheel} itself); as the daemon ({@code asDaemon}) it holds the pid file. Runs whose process died are
     * marked failed first. Closes this handle when it stops.
     */
    public void runScheduler(SchedulerConfig schedulerConfig, List<String> cliCommand, boolean asDaemon) throws InterruptedException {
        schedulerDaemon().run(() -> {
            failAbandonedRuns();
            return scheduler(new ProcessRunLauncher(cliCommand, home.dir()), schedulerConfig);
        }, asDaemon, this::close);
    }

    /** The model registry: every {@code Model} a step returns is registered here as a new version. */
    public ModelRegistry models() {
        return models.get();
    }

    /** Deployed models: deploy registered versions, find, start, stop and delete their services. */
    public Deployments deployments() {
        return deployments.get();
    }

    /** Canary and shadow rollouts: start one on the service that serves a model, list them, promote, abort, pause, resume. */
    public Rollouts rollouts() {
        return rollouts.get();
    }

    /**
     * Where a rollout's end is told: the registry (production moves on promotion, a rolled-back version is tagged) and,
     * for a failed rollout, the active stack's alerter (recorded in {@code flywheel alerts list}).
     */
    public RolloutOutcomes rolloutOutcomes() {
        return new AlertingRolloutOutcomes(new RegistryRolloutOutcomes(models.get()), alerts.get().recording());
    }

    /** Registered stack components and stacks. */
    public Stacks stacks() {
        return stacks.get();
    }

    /** A stack ({@code null}: the active one) with its components and the project's, settings masked where secret. */
    public StackDescription describeStack(String nameOrNull) {
        Stack described = stacks().resolve(nameOrNull);
        return StackDescription.of(described, stacks(), project, control.description());
    }

    /** Every flavor on this handle's class path, built-in and plug-in. */
    public Flavors flavors() {
        return flavors;
    }

    /** The project's bootstrap: the metadata store's flavor and settings. */
    public ProjectConfig projectConfig() {
        return project;
    }

    /** The project's secrets: create, list, describe, delete (values never come back out of this facade). */
    public Secrets secrets() {
        return new Secrets(secrets, stacks);
    }

    /** The project's secrets store itself (its flavor is the project's {@code secrets-store} component). */
    public SecretsStore secretsStore() {
        return secrets.get();
    }

    /** The artifact store of this handle's stack. */
    public ArtifactStore artifactStore() {
        return artifactStore.get();
    }

    /** The stack this handle runs on: {@link FlywheelConfig#stack}, else the project's active stack. */
    public Stack stack() {
        return stack.get();
    }

    /** Shortcut for {@code runs().run(pipeline, options, listener)}. */
    public RunResult run(Pipeline pipeline, RunOptions options, RunListener listener) {
        return runs.run(pipeline, options, listener);
    }

    /**
     * The metadata store of this handle's stack, for the modules that keep their own tables in it: the stack's own
     * ({@code flywheel stack register NAME --metadata-store DB}) or else the project's.
     */
    public MetadataStore metadata() {
        return metadata;
    }

    /** The components steps can reach through {@code StepContext.component(type)}; modules register theirs when wired. */
    public StepComponents components() {
        return components;
    }

    public FlywheelConfig config() {
        return config;
    }

    /** Marks runs of this host whose process died as failed; returns how many. */
    public int failAbandonedRuns() {
        if (metadata.readOnly()) {
            return 0; // nobody can be running a run on a project that cannot be written
        }
        return new RunRecords(metadata).failAbandoned(ProcessOwner.host(), ProcessOwner::isAlive, config.clock.instant());
    }

    @Override
    public void close() {
        if (baseline.isBuilt()) {
            baseline.get().ifPresent(Flywheel::close);
        }
        parts.close(); // closes the stack's own metadata store, when it has one
        control.close();
    }
}
