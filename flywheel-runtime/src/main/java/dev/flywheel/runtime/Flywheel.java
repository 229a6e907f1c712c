package dev.flywheel.runtime;

import dev.flywheel.engine.artifact.ArtifactIo;
import dev.flywheel.engine.cache.CodeVersion;
import dev.flywheel.engine.local.LocalOrchestrator;
import dev.flywheel.engine.run.OutputHook;
import dev.flywheel.engine.run.ProcessOwner;
import dev.flywheel.engine.run.RunRecorder;
import dev.flywheel.engine.run.StepComponents;
import dev.flywheel.engine.run.StepRunner;
import dev.flywheel.schedule.Schedules;
import dev.flywheel.schedule.daemon.RunLauncher;
import dev.flywheel.schedule.daemon.Scheduler;
import dev.flywheel.schedule.daemon.SchedulerConfig;
import dev.flywheel.sdk.ErrorCode;
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
 * ({@link #runs()}, {@link #artifacts()}, {@link #pipelines()}). The CLI, the server and {@code Pipeline.run()} are
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
    private final ArtifactIo artifactIo;
    private final Runs runs;
    private final Artifacts artifacts;
    private final Pipelines pipelines;
    private final Schedules schedules;
    private final FlywheelConfig config;
    private final StepComponents components;

    private Flywheel(FlywheelConfig config, ProjectHome home) {
        this.config = config;
        this.home = home;
        this.metadata = MetadataStore.openSqlite(home.database());
        try {
            this.artifactIo = new ArtifactIo(new LocalArtifactStore(home.artifacts()), Materializers.standard(config.classLoader));
            List<OutputHook> hooks = new ArrayList<>();
            RunRecorder recorder = new RunRecorder(metadata);
            StepRunner stepRunner = new StepRunner(recorder, artifactIo, new CodeVersion(), hooks, config.clock);
            this.components = new StepComponents();
            LocalOrchestrator orchestrator = new LocalOrchestrator(recorder, stepRunner, config.maxParallelism, config.clock, components);
            this.runs = new Runs(orchestrator, new RunRecords(metadata), metadata, config.clock);
            this.artifacts = new Artifacts(metadata, artifactIo, config.classLoader);
            this.pipelines = new Pipelines(config.classLoader, new RunRecords(metadata));
            this.schedules = new Schedules(metadata, config.clock);
        } catch (RuntimeException e) {
            metadata.close();
            throw e;
        }
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
        if (!home.exists()) {
            if (!config.createIfMissing) {
                throw new FlywheelException(ErrorCode.NOT_INITIALIZED, "No Flywheel project at " + home.dir() + "; create one with: flywheel init");
            }
            home.create();
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
        return new RunRecords(metadata).failAbandoned(ProcessOwner.host(), ProcessOwner::isAlive, config.clock.instant());
    }

    @Override
    public void close() {
        metadata.close();
    }
}
