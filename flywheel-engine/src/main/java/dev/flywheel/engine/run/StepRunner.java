package dev.flywheel.engine.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.flywheel.engine.artifact.ArtifactIo;
import dev.flywheel.engine.cache.CacheKey;
import dev.flywheel.engine.cache.CodeVersion;
import dev.flywheel.engine.config.StepConfigs;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.StepResult;
import dev.flywheel.sdk.StepSpec;
import dev.flywheel.sdk.StepStatus;
import dev.flywheel.sdk.Wire;
import dev.flywheel.sdk.internal.StepSignature;
import dev.flywheel.sdk.internal.ValueType;
import dev.flywheel.store.metadata.ArtifactLink;
import dev.flywheel.store.metadata.ArtifactRecord;
import dev.flywheel.store.metadata.StepRunRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Executes one step of a run: reuse a cached result when code, config and inputs are unchanged; otherwise call the
 * step (with retries and a timeout), store its outputs, and record everything in one transaction.
 */
public final class StepRunner {
    private static final Logger LOG = LoggerFactory.getLogger(StepRunner.class);

    private final RunRecorder recorder;
    private final ArtifactIo io;
    private final CodeVersion codeVersion;
    private final List<OutputHook> hooks;
    private final Clock clock;

    public StepRunner(RunRecorder recorder, ArtifactIo io, CodeVersion codeVersion, List<OutputHook> hooks, Clock clock) {
        this.recorder = recorder;
        this.io = io;
        this.codeVersion = codeVersion;
        this.hooks = List.copyOf(hooks);
        this.clock = clock;
    }

    /** The result of one step and, when it succeeded, its outputs for the steps downstream. */
    public record Outcome(StepResult result, Map<String, ProducedOutput> outputs) {
    }

    /**
     * Runs one step and records its end. Never throws for a step's own failures, its inputs or its outputs: those
     * become a FAILED outcome with the reason; only a failure to record (the metadata store is gone) propagates.
     */
    public Outcome run(RunState run, StepSpec spec) {
        String stepRunId = UUID.randomUUID().toString();
        try {
            return execute(run, spec, stepRunId);
        } catch (RuntimeException | LinkageError | StackOverflowError | AssertionError e) {
            return crashed(run, spec, stepRunId, e);
        }
    }

    private Outcome execute(RunState run, StepSpec spec, String stepRunId) {
        Instant started = clock.instant();
        StepSignature signature = StepSignature.of(spec.stepClass());
        String configJson = run.configs().json(spec.name());
        String code = codeVersion.of(spec.stepClass());

        Map<String, ProducedOutput> inputs = new LinkedHashMap<>();
        Map<String, String> inputHashes = new HashMap<>();
        List<ArtifactLink> links = new ArrayList<>();
        for (Wire w : run.pipeline().inputsOf(spec.name())) {
            ProducedOutput in = run.output(w.fromStep(), w.output());
            inputs.put(w.input(), in);
            inputHashes.put(w.input(), in.artifact().type() + ":" + in.artifact().sha256());
            links.add(new ArtifactLink(stepRunId, ArtifactLink.Direction.INPUT, w.input(), in.artifact().id()));
        }
        String cacheKey = CacheKey.of(spec.stepClass().getName(), code, configJson, inputHashes);

        if (spec.options().cache() && run.cacheEnabled()) {
            Optional<Outcome> cached = reuse(run, spec, signature, stepRunId, cacheKey, code, configJson, started, links);
            if (cached.isPresent()) {
                return cached.get();
            }
        }

        StepRunRecord running = new StepRunRecord(stepRunId, run.runId(), spec.name(), spec.stepClass().getName(), StepStatus.RUNNING,
                cacheKey, null, code, configJson, 1, started, null, null, null, null);
        recorder.stepChanged(running);

        StepLog log = new StepLog();
        RunningStep context = new RunningStep(run, spec.name(), log);
        boolean remote = spec.options().onStepOperator() || run.everyStep() != null;
        Object[] args;
        try {
            // on a step operator the inputs are read there, from the artifact store
            args = remote ? null : arguments(signature, inputs, run, spec, context);
        } catch (RuntimeException e) {
            // the inputs will not change on a retry: fail now, naming the artifact (ArtifactIo's messages do)
            String error = "Step '" + spec.name() + "' could not read its inputs: " + e.getMessage();
            log.line(error);
            return failed(run, spec, running, 0, error, log, context);
        }
        int maxAttempts = 1 + spec.options().retries();
        Object result = null;
        StepJobResult remoteResult = null;
        String error = null;
        int attempt = 0;
        while (attempt < maxAttempts) {
            attempt++;
            context.attempt(attempt);
            notify(() -> run.listener().stepStarted(run.runId(), spec.name(), attempt(context)));
            try {
                if (remote) {
                    remoteResult = OperatorInvocation.run(run, spec, inputs, io, context, attempt, log);
                } else {
                    result = StepInvocation.invoke(signature, args, spec.options().timeout(), log);
                }
                error = null;
                break;
            } catch (StepInvocation.StepFailure failure) {
                error = "Step '" + spec.name() + "' failed on attempt " + attempt + " of " + maxAttempts + ": " + failure.getMessage();
                log.line(error);
                if (failure.getCause() != null) {
                    log.line(stackTrace(failure.getCause()));
                }
                if (attempt < maxAttempts) {
                    if (!backOff(spec.options().retryBackoff(), attempt)) {
                        break;
                    }
                }
            } catch (FlywheelException e) {
                error = "Step '" + spec.name() + "' could not start: " + e.getMessage();
                log.line(error);
                break;
            }
        }
        if (error != null) {
            return failed(run, spec, running, attempt, error, log, context);
        }

        Map<String, ProducedOutput> outputs = new LinkedHashMap<>();
        List<ArtifactRecord> created = new ArrayList<>();
        try {
            for (StepSignature.Port port : signature.outputs()) {
                if (remoteResult != null) {
                    ArtifactRecord artifact = remoteOutput(spec, port, remoteResult, stepRunId, run);
                    created.add(artifact);
                    outputs.put(port.name(), new ProducedOutput(artifact, null));
                    links.add(new ArtifactLink(stepRunId, ArtifactLink.Direction.OUTPUT, port.name(), artifact.id()));
                    continue;
                }
                Object value = StepInvocation.output(signature, port, result);
                if (value == null) {
                    throw new FlywheelException(dev.flywheel.sdk.ErrorCode.RUN_FAILED, "Step '" + spec.name() + "' returned null for output '"
                            + port.name() + "'; return a value (outputs are stored as artifacts)");
                }
                ArtifactIo.Written w = io.write(value, port.valueType());
                ArtifactRecord artifact = new ArtifactRecord(UUID.randomUUID().toString(), w.blob().uri(), w.type(), w.materializer(),
                        w.blob().size(), w.blob().sha256(), clock.instant(), stepRunId, run.runId(), spec.name(), port.name());
                created.add(artifact);
                outputs.put(port.name(), new ProducedOutput(artifact, value));
                links.add(new ArtifactLink(stepRunId, ArtifactLink.Direction.OUTPUT, port.name(), artifact.id()));
            }
        } catch (FlywheelException | StepInvocation.StepFailure e) {
            String message = "Step '" + spec.name() + "' could not store its outputs: " + e.getMessage();
            log.line(message);
            return failed(run, spec, running, attempt, message, log, context);
        }

        StepRunRecord succeeded = finished(running, StepStatus.SUCCEEDED, attempt, null, log, context);
        recorder.stepFinished(succeeded, created, links);
        try {
            for (Map.Entry<String, ProducedOutput> o : outputs.entrySet()) {
                for (OutputHook hook : hooks) {
                    hook.outputStored(new OutputHook.StoredOutput(run.pipeline().name(), run.runId(), spec.name(), o.getKey(),
                            o.getValue().value(io, spec.stepClass().getClassLoader()), o.getValue().artifact()));
                }
            }
        } catch (RuntimeException e) {
            String message = "Step '" + spec.name() + "' produced its outputs, but handling output failed: " + e.getMessage();
            log.line(message);
            return failed(run, spec, running, attempt, message, log, context);
        }
        Map<String, String> ids = new LinkedHashMap<>();
        outputs.forEach((name, p) -> ids.put(name, p.artifact().id()));
        return new Outcome(new StepResult(spec.name(), StepStatus.SUCCEEDED, Duration.between(started, clock.instant()), attempt, ids, null), outputs);
    }

    /** The record of an output the step operator wrote to the artifact store, once its blob is seen there. */
    private ArtifactRecord remoteOutput(StepSpec spec, StepSignature.Port port, StepJobResult result, String stepRunId, RunState run) {
        StepJobResult.Output o = result.outputs().stream().filter(x -> x.name().equals(port.name())).findFirst()
                .orElseThrow(() -> new FlywheelException(dev.flywheel.sdk.ErrorCode.RUN_FAILED, "the step operator returned no output '"
                        + port.name() + "'"));
        ArtifactRecord artifact = new ArtifactRecord(UUID.randomUUID().toString(), o.uri(), o.type(), o.materializer(), o.size(),
                o.sha256(), clock.instant(), stepRunId, run.runId(), spec.name(), port.name());
        if (!io.present(artifact)) {
            throw new FlywheelException(dev.flywheel.sdk.ErrorCode.NOT_FOUND, "output '" + port.name() + "' written on the step operator ("
                    + o.uri() + ", " + o.size() + " bytes) is not in this stack's artifact store at " + io.store().root()
                    + "; the operator must see the same artifact store folder");
        }
        return artifact;
    }

    private Optional<Outcome> reuse(RunState run, StepSpec spec, StepSignature signature, String stepRunId, String cacheKey,
                                    String code, String configJson, Instant started, List<ArtifactLink> links) {
        Optional<RunRecorder.CacheHit> hit = recorder.findCached(cacheKey);
        if (hit.isEmpty()) {
            return Optional.empty();
        }
        Map<String, ProducedOutput> outputs = new LinkedHashMap<>();
        List<ArtifactLink> all = new ArrayList<>(links);
        for (StepSignature.Port port : signature.outputs()) {
            ArtifactRecord artifact = hit.get().outputs().get(port.name());
            if (artifact == null || !io.present(artifact)) {
                LOG.warn("Cache entry for step={} is incomplete (output {} missing or cut short); running the step again", spec.name(), port.name());
                return Optional.empty();
            }
            outputs.put(port.name(), new ProducedOutput(artifact, null));
            all.add(new ArtifactLink(stepRunId, ArtifactLink.Direction.OUTPUT, port.name(), artifact.id()));
        }
        Instant now = clock.instant();
        StepRunRecord cached = new StepRunRecord(stepRunId, run.runId(), spec.name(), spec.stepClass().getName(), StepStatus.CACHED,
                cacheKey, hit.get().stepRun().id(), code, configJson, 0, started, now, null, null, null);
        recorder.stepFinished(cached, List.of(), all);
        Map<String, String> ids = new LinkedHashMap<>();
        outputs.forEach((name, p) -> ids.put(name, p.artifact().id()));
        return Optional.of(new Outcome(new StepResult(spec.name(), StepStatus.CACHED, Duration.between(started, now), 0, ids, null), outputs));
    }

    private Outcome failed(RunState run, StepSpec spec, StepRunRecord running, int attempts, String error, StepLog log, RunningStep context) {
        recorder.stepChanged(finished(running, StepStatus.FAILED, attempts, error, log, context));
        return new Outcome(new StepResult(spec.name(), StepStatus.FAILED, Duration.between(running.startedAt(), clock.instant()), attempts,
                Map.of(), error), Map.of());
    }

    private StepRunRecord finished(StepRunRecord running, StepStatus status, int attempts, String error, StepLog log, RunningStep context) {
        return new StepRunRecord(running.id(), running.runId(), running.name(), running.stepClass(), status, running.cacheKey(), null,
                running.codeHash(), running.configJson(), attempts, running.startedAt(), clock.instant(), error, log.text(), metadataJson(context));
    }

    /**
     * The step method's arguments. An input made in this run is passed as is; one reused from the cache is read
     * from the store (hash checked). Either way it must be an instance of the parameter's class.
     *
     * @throws FlywheelException naming the input and its artifact when one cannot be read or has the wrong type
     */
    private Object[] arguments(StepSignature signature, Map<String, ProducedOutput> inputs, RunState run, StepSpec spec, RunningStep context) {
        Object[] args = new Object[signature.params().size()];
        ClassLoader loader = spec.stepClass().getClassLoader();
        for (int i = 0; i < args.length; i++) {
            args[i] = switch (signature.params().get(i)) {
                case StepSignature.InputParam in -> input(in, inputs.get(in.name()), loader);
                case StepSignature.ConfigParam ignored -> run.configs().config(spec.name());
                case StepSignature.ContextParam ignored -> context;
            };
        }
        return args;
    }

    private Object input(StepSignature.InputParam in, ProducedOutput produced, ClassLoader loader) {
        Object value;
        try {
            value = produced.value(io, loader);
        } catch (FlywheelException e) {
            throw new FlywheelException(e.code(), "input '" + in.name() + "': " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new FlywheelException(dev.flywheel.sdk.ErrorCode.INTERNAL, "input '" + in.name() + "': reading "
                    + ArtifactIo.describe(produced.artifact()) + " failed: " + e, e);
        }
        if (!in.type().isInstance(value)) {
            throw new FlywheelException(dev.flywheel.sdk.ErrorCode.INVALID_ARGUMENT, "input '" + in.name() + "' expects "
                    + ValueType.display(in.generic()) + ", but " + ArtifactIo.describe(produced.artifact()) + " holds a "
                    + value.getClass().getName() + " (recorded type " + produced.artifact().type() + ")");
        }
        return value;
    }

    /**
     * Checks, before anything runs, that every output of the pipeline can be stored (containers need a
     * materializer for their element type).
     *
     * @throws FlywheelException {@code INVALID_PIPELINE} naming the step, the output and the type
     */
    public void requireStorableOutputs(dev.flywheel.sdk.Pipeline pipeline) {
        for (StepSpec s : pipeline.steps()) {
            for (StepSignature.Port port : StepSignature.of(s.stepClass()).outputs()) {
                try {
                    io.requireWritable(port.valueType());
                } catch (FlywheelException e) {
                    throw new FlywheelException(dev.flywheel.sdk.ErrorCode.INVALID_PIPELINE, "Step '" + s.name() + "' output '"
                            + port.name() + "' is declared as " + port.valueType().display() + ", which cannot be stored: " + e.getMessage(), e);
                }
            }
        }
    }

    /**
     * The outcome of a step whose runner failed inside Flywheel itself (not in the step, its inputs or outputs):
     * recorded as FAILED when the store still takes it, so the run ends FAILED instead of crashing its caller.
     */
    private Outcome crashed(RunState run, StepSpec spec, String stepRunId, Throwable e) {
        String error = "Step '" + spec.name() + "' failed inside Flywheel: " + e + "; this is a bug, please report it";
        LOG.error("Step runner failed run={} step={}", run.runId(), spec.name(), e);
        Instant now = clock.instant();
        try {
            recorder.stepChanged(new StepRunRecord(stepRunId, run.runId(), spec.name(), spec.stepClass().getName(),
                    StepStatus.FAILED, null, null, null, run.configs().json(spec.name()), 0, now, now, error, null, null));
        } catch (RuntimeException recordFailed) {
            e.addSuppressed(recordFailed);
        }
        return new Outcome(new StepResult(spec.name(), StepStatus.FAILED, Duration.ZERO, 0, Map.of(), error), Map.of());
    }

    private static String metadataJson(RunningStep context) {
        if (context.metadata().isEmpty()) {
            return null;
        }
        try {
            return StepConfigs.mapper().writeValueAsString(context.metadata());
        } catch (JsonProcessingException e) {
            return "{\"error\":\"metadata is not serializable: " + e.getOriginalMessage().replace("\"", "'") + "\"}";
        }
    }

    private static int attempt(RunningStep context) {
        return context.attempt();
    }

    /** Waits before a retry, doubling the pause each time; false when the run is being interrupted. */
    private static boolean backOff(Duration base, int attempt) {
        long millis = base.toMillis() << Math.min(attempt - 1, 16);
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("A run listener threw; ignoring it: {}", e.toString());
        }
    }

    static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}
