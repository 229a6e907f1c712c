package dev.flywheel.engine.run;

import dev.flywheel.engine.artifact.ArtifactIo;
import dev.flywheel.engine.config.StepConfigs;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.StepContext;
import dev.flywheel.sdk.internal.StepSignature;
import dev.flywheel.store.artifact.ArtifactStores;
import dev.flywheel.store.materialize.Materializers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The far side of a step operator: runs the step a {@link StepJob} names in this process, reading its inputs from
 * the artifact store (hash checked) and writing its outputs back there, then writes the {@link StepJobResult}. A
 * step operator's entry point calls {@link #run} (the Spark driver does, with a SparkSession among the components);
 * {@link RemoteStepMain} does it in a plain JVM.
 */
public final class RemoteStep {
    private RemoteStep() {
    }

    /**
     * Runs the job and writes its result file; never throws for the step's own failures, its inputs or outputs
     * (those become a failed result).
     *
     * @param components what the step may ask for with {@code StepContext.component} (a SparkSession)
     * @param loader     the class loader that sees the step class and its materializers
     */
    public static StepJobResult run(Path jobFile, StepComponents components, ClassLoader loader) {
        StepJob job = StepJob.read(jobFile);
        StepLog log = new StepLog();
        Context context = new Context(job, log, components);
        StepJobResult result;
        try {
            result = execute(job, context, loader);
        } catch (StepInvocation.StepFailure e) {
            String error = "Step '" + job.step() + "' failed on the step operator: " + e.getMessage();
            log.line(error);
            if (e.getCause() != null) {
                log.line(StepRunner.stackTrace(e.getCause()));
            }
            result = new StepJobResult(false, error, List.of(), context.metadata, log.text());
        } catch (RuntimeException | LinkageError e) {
            String error = "Step '" + job.step() + "' could not run on the step operator: " + e;
            log.line(error);
            log.line(StepRunner.stackTrace(e));
            result = new StepJobResult(false, error, List.of(), context.metadata, log.text());
        }
        result.write(job.resultFile());
        return result;
    }

    private static StepJobResult execute(StepJob job, Context context, ClassLoader loader) throws StepInvocation.StepFailure {
        Class<?> stepClass;
        try {
            stepClass = Class.forName(job.stepClass(), true, loader);
        } catch (ClassNotFoundException e) {
            throw FlywheelException.invalid("step class " + job.stepClass() + " is not on the step operator's classpath; ship the"
                    + " pipeline's jar with the operator's 'jars' setting");
        }
        StepSignature signature = StepSignature.of(stepClass);
        // the store the job names, opened here: a folder, or S3 with the endpoint and credentials of this process's environment
        ArtifactIo io = new ArtifactIo(ArtifactStores.open(job.artifactStore(), loader, System.getenv()), Materializers.standard(loader));
        Object[] args = new Object[signature.params().size()];
        for (int i = 0; i < args.length; i++) {
            args[i] = switch (signature.params().get(i)) {
                case StepSignature.InputParam in -> input(job, in, io, loader);
                case StepSignature.ConfigParam c -> config(job, c.type());
                case StepSignature.ContextParam ignored -> context;
            };
        }
        Object result = StepInvocation.invoke(signature, args, null, context.log);
        List<StepJobResult.Output> outputs = new ArrayList<>();
        for (StepSignature.Port port : signature.outputs()) {
            Object value = StepInvocation.output(signature, port, result);
            if (value == null) {
                throw FlywheelException.invalid("Step '" + job.step() + "' returned null for output '" + port.name()
                        + "'; return a value (outputs are stored as artifacts)");
            }
            ArtifactIo.Written w = io.write(value, port.valueType());
            outputs.add(new StepJobResult.Output(port.name(), w.blob().uri(), w.blob().size(), w.blob().sha256(), w.type(), w.materializer()));
        }
        return new StepJobResult(true, null, outputs, context.metadata, context.log.text());
    }

    private static Object input(StepJob job, StepSignature.InputParam in, ArtifactIo io, ClassLoader loader) {
        StepJob.Input input = job.inputs().stream().filter(x -> x.name().equals(in.name())).findFirst()
                .orElseThrow(() -> FlywheelException.invalid("the step job has no artifact for input '" + in.name() + "'"));
        Object value = io.read(input.record(), loader);
        if (!in.type().isInstance(value)) {
            throw FlywheelException.invalid("input '" + in.name() + "' expects " + in.type().getName() + ", but "
                    + ArtifactIo.describe(input.record()) + " holds a " + value.getClass().getName());
        }
        return value;
    }

    private static Object config(StepJob job, Class<?> type) {
        if (job.configJson() == null) {
            return null;
        }
        try {
            return StepConfigs.mapper().readValue(job.configJson(), type);
        } catch (java.io.IOException e) {
            throw FlywheelException.invalid("the config of step '" + job.step() + "' does not read as " + type.getName() + ": " + e.getMessage());
        }
    }

    /** The step's context there: its log and metadata travel back in the result. */
    private static final class Context implements StepContext {
        private final StepJob job;
        private final StepLog log;
        private final StepComponents components;
        private final Map<String, Object> metadata = new ConcurrentSkipListMap<>();

        Context(StepJob job, StepLog log, StepComponents components) {
            this.job = job;
            this.log = log;
            this.components = components;
        }

        @Override
        public String pipelineName() {
            return job.pipeline();
        }

        @Override
        public String runId() {
            return job.runId();
        }

        @Override
        public String stepName() {
            return job.step();
        }

        @Override
        public int attempt() {
            return job.attempt();
        }

        @Override
        public void log(String message) {
            log.line(message);
        }

        @Override
        public void metadata(String key, Object value) {
            metadata.put(key, value);
        }

        @Override
        public <T> T component(Class<T> type) {
            return components.get(type);
        }
    }
}
