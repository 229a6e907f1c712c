package dev.flywheel.engine.local;

import dev.flywheel.engine.Orchestrator;
import dev.flywheel.engine.run.RunRecorder;
import dev.flywheel.engine.run.StepComponents;
import dev.flywheel.engine.run.StepRunner;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.flavor.ComponentKind;
import dev.flywheel.sdk.flavor.Flavor;
import dev.flywheel.sdk.flavor.FlavorContext;
import dev.flywheel.sdk.flavor.Setting;

/** The embedded orchestrator flavor {@code local}: steps run on a bounded pool of threads in this process. */
public final class LocalOrchestratorFlavor implements Flavor<LocalOrchestratorFlavor.Settings, Orchestrator> {
    public static final String NAME = "local";

    /** @param maxParallelism steps of one run at the same time; null = one per core (at least 2) */
    public record Settings(
            @Setting(description = "steps of one run at the same time (default: one per core, at least 2)") Integer maxParallelism) {
        public Settings {
            if (maxParallelism != null && maxParallelism < 1) {
                throw FlywheelException.invalid("maxParallelism must be at least 1, got " + maxParallelism);
            }
        }
    }

    @Override
    public ComponentKind kind() {
        return ComponentKind.ORCHESTRATOR;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "runs steps on threads of this process, each as soon as its inputs exist";
    }

    @Override
    public Class<Settings> settingsType() {
        return Settings.class;
    }

    @Override
    public Orchestrator create(Settings settings, FlavorContext context) {
        int parallelism = settings.maxParallelism() != null ? settings.maxParallelism()
                : Math.max(2, Runtime.getRuntime().availableProcessors());
        return new LocalOrchestrator(context.require(RunRecorder.class), context.require(StepRunner.class), parallelism,
                context.clock(), context.require(StepComponents.class));
    }
}
