package dev.flywheel.runtime;

import java.nio.file.Path;
import java.time.Clock;

/**
 * Settings for {@link Flywheel#create}, set once in its lambda and frozen after. Fields left alone keep the
 * embedded defaults: the nearest {@code .flywheel/} project, a thread per core, the system clock.
 */
public final class FlywheelConfig {
    /** The project's {@code .flywheel/} folder; null means: locate it from the working directory. */
    public Path home;
    /** Create the project folder when it does not exist yet (as {@code Pipeline.run()} does on first use). */
    public boolean createIfMissing = true;
    /**
     * How many steps of one run may execute at the same time; overrides the stack orchestrator's
     * {@code maxParallelism} setting for this handle. Null: the setting (whose default is one per core, at least 2).
     */
    public Integer maxParallelism;
    /** The time source for runs and schedules; tests move a fake clock. */
    public Clock clock = Clock.systemUTC();
    /**
     * Flush every new artifact to disk before it is recorded, so artifacts survive power loss, not only process
     * crashes. Off by default (it costs two disk flushes per artifact); the metadata store makes the same trade.
     * When on, overrides the stack artifact store's {@code fsync} setting for this handle.
     */
    public boolean fsyncArtifacts = false;
    /** The stack to run on; null means the project's active stack ({@code flywheel stack set NAME}). */
    public String stack;
    /**
     * The stack whose production version the deployment gate must beat ({@code run --baseline-stack production}): the
     * baseline is read from that stack's stores, the new version is registered and served on this handle's stack.
     * Null: the gate compares within this handle's stack.
     */
    public String baselineStack;
    /** When false, a {@link #baselineStack} that does not exist, or is this handle's own stack, means no baseline stack. */
    public boolean baselineStackRequired = true;
    /** Where pipelines, step classes, user materializers and plug-in flavors are loaded from. */
    public ClassLoader classLoader = Thread.currentThread().getContextClassLoader();
    /**
     * Where a project created by this handle keeps its metadata ({@code flywheel init --metadata-url}); null: the
     * embedded SQLite file. A project that exists already must have been created with the same choice.
     */
    public ProjectConfig project;

    FlywheelConfig() {
    }
}
