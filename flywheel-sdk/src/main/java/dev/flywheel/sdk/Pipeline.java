package dev.flywheel.sdk;

import dev.flywheel.sdk.internal.PipelineWiring;
import dev.flywheel.sdk.spi.PipelineRunner;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A named DAG of steps, checked when it is built: every input is produced by exactly one step with a matching
 * type, step names are unique, and there is no cycle. Immutable and thread-safe.
 *
 * <pre>{@code
 * Pipeline training = Pipeline.named("bike_demand")
 *     .step(LoadBatches.class)
 *     .step(Split.class, new Split.Config(0.2, 42))
 *     .step(TrainXgboost.class)
 *     .build();
 * RunResult result = training.run();
 * }</pre>
 */
public final class Pipeline {
    private final String name;
    private final String description;
    private final List<StepSpec> steps;
    private final Map<String, List<Wire>> inputs;
    private final DataFiles dataFiles;

    private Pipeline(String name, String description, List<StepSpec> steps, Map<String, List<Wire>> inputs, DataFiles dataFiles) {
        this.name = name;
        this.description = description;
        this.steps = steps;
        this.inputs = inputs;
        this.dataFiles = dataFiles;
    }

    public static Builder named(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    /** The files this pipeline reads from outside Flywheel, when it declared them ({@link Builder#readsFiles}). */
    public Optional<DataFiles> dataFiles() {
        return Optional.ofNullable(dataFiles);
    }

    /** The steps in an order in which every step comes after the steps it depends on. */
    public List<StepSpec> steps() {
        return steps;
    }

    public Optional<StepSpec> step(String stepName) {
        return steps.stream().filter(s -> s.name().equals(stepName)).findFirst();
    }

    /** The wires into {@code stepName}, one per input of the step. */
    public List<Wire> inputsOf(String stepName) {
        return inputs.getOrDefault(stepName, List.of());
    }

    /** Runs the pipeline now, in this process, with default options; blocks until the run ends. */
    public RunResult run() {
        return run(RunOptions.defaults());
    }

    /**
     * Runs the pipeline now with {@code options}. The runner is found with {@link ServiceLoader}
     * ({@code flywheel-runtime} provides one that uses the project's {@code .flywheel/} store).
     */
    public RunResult run(RunOptions options) {
        return runner().run(this, options);
    }

    /**
     * Registers {@code schedule} in the project's store so a scheduler daemon ({@code flywheel scheduler start})
     * runs this pipeline later, as a child process, without this program. The pipeline must be registered by a
     * {@link dev.flywheel.sdk.spi.PipelineProvider} on this program's class path, which is stored with the schedule.
     *
     * @return the schedule's id (see {@code flywheel schedules describe ID})
     * @throws FlywheelException INVALID_ARGUMENT when the pipeline is not registered by name or the schedule is
     *                           invalid (for example a bad cron field)
     */
    public String schedule(Schedule schedule) {
        return runner().schedule(this, Objects.requireNonNull(schedule, "schedule"));
    }

    private static PipelineRunner runner() {
        return ServiceLoader.load(PipelineRunner.class).findFirst().orElseThrow(() -> new FlywheelException(
                ErrorCode.UNAVAILABLE, "No pipeline runner on the classpath; add the dependency dev.flywheel:flywheel-runtime"));
    }

    @Override
    public String toString() {
        return "Pipeline[" + name + ", steps=" + steps.stream().map(StepSpec::name).toList() + "]";
    }

    /** Collects steps; {@link #build()} checks the wiring. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private String description = "";
        private DataFiles dataFiles;
        private final List<StepSpec> steps = new ArrayList<>();

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
            if (!name.matches("[A-Za-z_][A-Za-z0-9_\\-]*")) {
                throw new FlywheelException(ErrorCode.INVALID_PIPELINE, "Pipeline name '" + name
                        + "' is not valid: use letters, digits, '_' and '-', starting with a letter or '_'");
            }
        }

        public Builder description(String text) {
            this.description = Objects.requireNonNull(text, "description");
            return this;
        }

        /**
         * Declares the files the pipeline reads from outside Flywheel, so {@code flywheel pipelines list} can say where
         * it expects them and whether they are there. Only a declaration: the steps still read what their configs say.
         *
         * @param hint one line on how to get such files (may be empty)
         */
        public Builder readsFiles(String folder, String glob, String hint) {
            this.dataFiles = new DataFiles(folder, glob, hint);
            return this;
        }

        /** Adds a step named after its class in snake_case, with no config. */
        public Builder step(Class<?> stepClass) {
            return step(StepSpec.of(stepClass));
        }

        /** Adds a step named after its class in snake_case, with {@code config}. */
        public Builder step(Class<?> stepClass, Object config) {
            return step(StepSpec.of(stepClass).withConfig(config));
        }

        public Builder step(String stepName, Class<?> stepClass) {
            return step(StepSpec.of(stepClass).named(stepName));
        }

        public Builder step(String stepName, Class<?> stepClass, Object config) {
            return step(StepSpec.of(stepClass).named(stepName).withConfig(config));
        }

        public Builder step(StepSpec spec) {
            steps.add(Objects.requireNonNull(spec, "spec"));
            return this;
        }

        /**
         * Checks the wiring and returns the pipeline.
         *
         * @throws FlywheelException with {@link ErrorCode#INVALID_PIPELINE} naming the steps and the fix when
         *         two steps share a name, an input has no producer or several, types do not match, a config is
         *         missing or of the wrong type, or the steps form a cycle
         */
        public Pipeline build() {
            PipelineWiring wiring = PipelineWiring.resolve(name, steps);
            return new Pipeline(name, description, wiring.orderedSteps(), wiring.inputs(), dataFiles);
        }
    }
}
