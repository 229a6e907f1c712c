package dev.flywheel.runtime;

import dev.flywheel.engine.artifact.ArtifactIo;
import dev.flywheel.engine.cache.CodeVersion;
import dev.flywheel.engine.local.LocalOrchestrator;
import dev.flywheel.engine.run.OutputHook;
import dev.flywheel.engine.run.ProcessOwner;
import dev.flywheel.engine.run.RunRecorder;
import dev.flywheel.engine.run.StepComponents;
import dev.flywheel.engine.run.StepRunner;
import dev.flywheel.cd.spi.DeploymentBackend;
import dev.flywheel.deploy.Deployments;
import dev.flywheel.deploy.RegistryDeploymentBackend;
import dev.flywheel.deploy.ModelDeployer;
import dev.flywheel.deploy.local.LocalDeployerConfig;
import dev.flywheel.engine.stack.BuiltInFlavors;
import dev.flywheel.engine.stack.ComponentKind;
import dev.flywheel.engine.stack.Flavor;
import dev.flywheel.engine.stack.Stack;
import dev.flywheel.engine.stack.Stacks;
import dev.flywheel.deploy.local.LocalModelDeployer;
import dev.flywheel.deploy.service.ServiceStore;
import dev.flywheel.formats.ModelFormats;
import dev.flywheel.registry.ModelRegistry;
import dev.flywheel.schedule.Schedules;
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
import dev.flywheel.store.artifact.local.LocalArtifactStore;
import dev.flywheel.store.materialize.Materializers;
import dev.flywheel.store.metadata.MetadataStore;
import dev.flywheel.store.metadata.RunRecords;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The handle to one Flywheel project: its stores, its orchestrator, and one facade per concept
 * ({@link #runs()}, {@link #artifacts()}, {@link #pipelines()}, {@link #models()}). The CLI, the server and {@code Pipeline.run()} are
 * thin shells over this class. Thread-safe; close it to release the stores.
 *
 * <pre>{@code
 * try (Flywheel flywheel = Flywheel.create(cfg -> cfg.home = Path.of("/tmp/demo/.flywheel"))) {
 *     RunResult result = flywheel.runs().run(pipeline, RunOptions.defaults(), RunListener.NONE);
 * }
 * }</pre>
 */
public final class Flywheel implements AutoCloseable {
    private final ProjectHome home;
    private final MetadataStore metadata;
    private final FlywheelConfig config;
    private final StepComponents components = new StepComponents();
    private final Runs runs;
    private final Artifacts artifacts;
    private final Pipelines pipelines;
    private final Schedules schedules;
    private final Lazy<Stacks> stacks;
    private final Lazy<Stack> stack;
    private final Lazy<LocalArtifactStore> artifactStore;
    private final Lazy<ArtifactIo> artifactIo;
    private final Lazy<ModelRegistry> models;
    private final Lazy<LocalModelDeployer> deployer;
    private final Lazy<Deployments> deployments;
    private final Lazy<LocalOrchestrator> orchestrator;

    private Flywheel(FlywheelConfig config, ProjectHome home) {
        this.config = config;
        this.home = home;
        this.metadata = MetadataStore.openSqlite(home.database());
        // Only the metadata store is opened eagerly; every other part is built when first used (see Lazy).
        this.stacks = Lazy.of(() -> {
            List<Flavor<?>> flavors = new ArrayList<>(BuiltInFlavors.all());
            flavors.add(new Flavor<>(ComponentKind.MODEL_DEPLOYER, LocalModelDeployer.FLAVOR, LocalDeployerConfig.class));
            Stacks all = new Stacks(metadata, flavors, config.clock);
            all.ensureDefault();
            return all;
        });
        this.stack = Lazy.of(() -> stacks.get().resolve(config.stack));
        this.artifactStore = Lazy.of(() -> {
            boolean fsync = config.fsyncArtifacts || Boolean.TRUE.equals(stacks.get().settings(
                    stack.get().component(ComponentKind.ARTIFACT_STORE), BuiltInFlavors.LocalArtifactStoreSettings.class).fsync());
            return new LocalArtifactStore(home.artifacts(), fsync ? LocalArtifactStore.Durability.FSYNC : LocalArtifactStore.Durability.ATOMIC);
        });
        this.artifactIo = Lazy.of(() -> new ArtifactIo(artifactStore.get(), Materializers.standard(config.classLoader)));
        this.models = Lazy.of(() -> new ModelRegistry(metadata, artifactStore.get(), ModelFormats.load(config.classLoader), config.clock));
        // The stack's model deployer; 'local' (daemons under .flywheel/services/) is the one flavor so far.
        this.deployer = Lazy.of(() -> new LocalModelDeployer(new ServiceStore(metadata), home.daemons("services"),
                stacks.get().settings(stack.get().component(ComponentKind.MODEL_DEPLOYER), LocalDeployerConfig.class).toSettings(),
                config.clock));
        this.deployments = Lazy.of(() -> new Deployments(models.get(), deployer.get()));
        components.register(ModelRegistry.class, models);
        components.register(ModelDeployer.class, deployer);
        // What the ready-made deployment steps (flywheel-cd) see of the registry and the deployer.
        components.register(DeploymentBackend.class, Lazy.of(() -> new RegistryDeploymentBackend(deployments.get())));
        this.orchestrator = Lazy.of(() -> {
            Integer stackParallelism = stacks.get().settings(stack.get().component(ComponentKind.ORCHESTRATOR),
                    BuiltInFlavors.LocalOrchestratorSettings.class).maxParallelism();
            int maxParallelism = stackParallelism != null ? stackParallelism : config.maxParallelism;
            List<OutputHook> hooks = List.of(new ModelRegistration(models.get()));
            RunRecorder recorder = new RunRecorder(metadata);
            StepRunner stepRunner = new StepRunner(recorder, artifactIo.get(), new CodeVersion(), hooks, config.clock);
            return new LocalOrchestrator(recorder, stepRunner, maxParallelism, config.clock, components);
        });
        this.runs = new Runs(orchestrator, new RunRecords(metadata), new dev.flywheel.store.metadata.ArtifactRecords(metadata),
                this::failAbandonedRuns);
        this.artifacts = new Artifacts(metadata, artifactIo, config.classLoader);
        this.pipelines = new Pipelines(config.classLoader, new RunRecords(metadata));
        this.schedules = new Schedules(metadata, config.clock);
    }

    /** Opens the project found from the working directory (or {@code FLYWHEEL_HOME}), creating it if needed. */
    public static Flywheel open() {
        return create(cfg -> {
        });
    }

    public static Flywheel create(Consumer<FlywheelConfig> configure) {
        FlywheelConfig config = new FlywheelConfig();
        configure.accept(config);
        if (config.maxParallelism < 1) {
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
        if (config.createIfMissing) {
            home.create();
        } else {
            home.requireProject();
        }
        return new Flywheel(config, home);
    }

    public ProjectHome home() {
        return home;
    }

    public Runs runs() {
        return runs;
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
        return new Scheduler(metadata, config.clock, launcher, schedulerConfig);
    }

    /** This project's scheduler daemon ({@code .flywheel/scheduler/}): start, stop, status. */
    public SchedulerDaemon schedulerDaemon() {
        return new SchedulerDaemon(home.daemons("scheduler"));
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

    /** Registered stack components and stacks. */
    public Stacks stacks() {
        return stacks.get();
    }

    /** The stack this handle runs on: {@link FlywheelConfig#stack}, else the project's active stack. */
    public Stack stack() {
        return stack.get();
    }

    /** Shortcut for {@code runs().run(pipeline, options, listener)}. */
    public RunResult run(Pipeline pipeline, RunOptions options, RunListener listener) {
        return runs.run(pipeline, options, listener);
    }

    /** The metadata store, for the modules that keep their own tables in it. */
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
        metadata.close();
    }
}
