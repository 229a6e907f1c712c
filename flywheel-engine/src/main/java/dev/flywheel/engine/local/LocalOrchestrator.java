package dev.flywheel.engine.local;

import dev.flywheel.engine.Orchestrator;
import dev.flywheel.engine.StepOperator;
import dev.flywheel.engine.config.StepConfigs;
import dev.flywheel.engine.run.ProcessOwner;
import dev.flywheel.engine.run.RunRecorder;
import dev.flywheel.engine.run.RunState;
import dev.flywheel.engine.run.StepComponents;
import dev.flywheel.engine.run.StepRunner;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.RunListener;
import dev.flywheel.sdk.RunOptions;
import dev.flywheel.sdk.RunResult;
import dev.flywheel.sdk.RunStatus;
import dev.flywheel.sdk.StepResult;
import dev.flywheel.sdk.StepSpec;
import dev.flywheel.sdk.StepStatus;
import dev.flywheel.sdk.Wire;
import dev.flywheel.store.metadata.RunRecord;
import dev.flywheel.store.metadata.StepRunRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The embedded orchestrator: runs steps on a bounded pool of threads in this process, each step as soon as the
 * steps it depends on have succeeded. Scheduling work per step is constant, so a run's overhead grows linearly with
 * its number of steps.
 */
public final class LocalOrchestrator implements Orchestrator {
    private static final Logger LOG = LoggerFactory.getLogger(LocalOrchestrator.class);
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final RunRecorder recorder;
    private final StepRunner steps;
    private final int maxParallelism;
    private final Clock clock;
    private final StepComponents components;
    private final StepOperator everyStep;

    /**
     * @param maxParallelism how many steps may run at once (at least 1)
     */
    public LocalOrchestrator(RunRecorder recorder, StepRunner steps, int maxParallelism, Clock clock, StepComponents components) {
        this(recorder, steps, maxParallelism, clock, components, null);
    }

    /**
     * An orchestrator that schedules here and runs every step on {@code everyStep} (the {@code kubernetes} orchestrator:
     * each step a Job): the same ordering, skipping and recording as local steps, each step's work elsewhere.
     *
     * @param everyStep where every step runs; null runs them on this process's threads
     */
    public LocalOrchestrator(RunRecorder recorder, StepRunner steps, int maxParallelism, Clock clock, StepComponents components,
                             StepOperator everyStep) {
        this.components = components;
        this.everyStep = everyStep;
        if (maxParallelism < 1) {
            throw new IllegalArgumentException("maxParallelism must be at least 1, got " + maxParallelism);
        }
        this.recorder = recorder;
        this.steps = steps;
        this.maxParallelism = maxParallelism;
        this.clock = clock;
    }

    @Override
    public RunResult run(Pipeline pipeline, RunOptions options, RunListener listener) {
        StepConfigs configs = StepConfigs.resolve(pipeline, options.params());
        steps.requireStorableOutputs(pipeline);
        Instant started = clock.instant();
        String runId = UUID.randomUUID().toString();
        String paramsJson = StepConfigs.mapper().valueToTree(new java.util.TreeMap<>(options.params())).toString();
        recorder.runStarted(pipeline, new RunRecord(runId, pipeline.name(), RunStatus.RUNNING, started, null, options.trigger(),
                paramsJson, null, ProcessOwner.host(), ProcessOwner.pid(), ProcessOwner.startedAt(), options.reason(), options.fireId(),
                options.source()), configs);
        safely(() -> listener.runStarted(runId, pipeline));
        LOG.info("Run started run={} pipeline={} steps={}", runId, pipeline.name(), pipeline.steps().size());

        RunState state = new RunState(runId, pipeline, configs, options.cache(), listener, components, everyStep);
        Map<String, StepResult> results;
        try {
            results = execute(state);
        } catch (RuntimeException | Error e) {
            recorder.runFinished(runId, RunStatus.FAILED, clock.instant(), "The orchestrator failed: " + e);
            throw e;
        }

        List<StepResult> ordered = new ArrayList<>();
        String error = null;
        for (StepSpec s : pipeline.steps()) {
            StepResult r = results.get(s.name());
            ordered.add(r);
            if (r.status() == StepStatus.FAILED && error == null) {
                error = r.error();
            }
        }
        RunStatus status = error == null ? RunStatus.SUCCEEDED : RunStatus.FAILED;
        Instant finished = clock.instant();
        recorder.runFinished(runId, status, finished, error);
        RunResult result = new RunResult(runId, pipeline.name(), status, started, Duration.between(started, finished), ordered, error);
        LOG.info("Run finished run={} pipeline={} status={} duration_ms={}", runId, pipeline.name(), status, result.duration().toMillis());
        safely(() -> listener.runFinished(result));
        return result;
    }

    private Map<String, StepResult> execute(RunState state) {
        Pipeline pipeline = state.pipeline();
        Map<String, Integer> pending = new HashMap<>();
        Map<String, List<String>> dependants = new HashMap<>();
        for (StepSpec s : pipeline.steps()) {
            List<String> upstream = pipeline.inputsOf(s.name()).stream().map(Wire::fromStep).distinct().toList();
            pending.put(s.name(), upstream.size());
            for (String u : upstream) {
                dependants.computeIfAbsent(u, k -> new ArrayList<>()).add(s.name());
            }
        }
        Map<String, StepSpec> specs = new LinkedHashMap<>();
        pipeline.steps().forEach(s -> specs.put(s.name(), s));
        Map<String, StepResult> results = new HashMap<>();

        int threads = Math.min(maxParallelism, pipeline.steps().size());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "flywheel-run-" + POOLS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            ExecutorCompletionService<StepRunner.Outcome> done = new ExecutorCompletionService<>(pool);
            int inFlight = 0;
            for (StepSpec s : pipeline.steps()) {
                if (pending.get(s.name()) == 0) {
                    done.submit(() -> steps.run(state, s));
                    inFlight++;
                }
            }
            while (inFlight > 0) {
                StepRunner.Outcome outcome = done.take().get();
                inFlight--;
                StepResult r = outcome.result();
                results.put(r.name(), r);
                if (r.status().succeeded()) {
                    publish(state, r.name(), outcome);
                    safely(() -> state.listener().stepFinished(state.runId(), r));
                    for (String d : dependants.getOrDefault(r.name(), List.of())) {
                        if (pending.merge(d, -1, Integer::sum) == 0) {
                            StepSpec next = specs.get(d);
                            done.submit(() -> steps.run(state, next));
                            inFlight++;
                        }
                    }
                } else {
                    safely(() -> state.listener().stepFinished(state.runId(), r));
                    skipDependants(state, r.name(), dependants, specs, results);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + pipeline.name(), e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a step crashed the orchestrator: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return results;
    }

    private static void publish(RunState state, String step, StepRunner.Outcome outcome) {
        state.publish(step, outcome.outputs());
    }

    private void skipDependants(RunState state, String failed, Map<String, List<String>> dependants, Map<String, StepSpec> specs,
                                Map<String, StepResult> results) {
        Deque<String> queue = new ArrayDeque<>(dependants.getOrDefault(failed, List.of()));
        while (!queue.isEmpty()) {
            String d = queue.poll();
            if (results.containsKey(d)) {
                continue;
            }
            String reason = "Skipped: upstream step '" + failed + "' failed";
            StepSpec spec = specs.get(d);
            Instant now = clock.instant();
            recorder.stepChanged(new StepRunRecord(UUID.randomUUID().toString(), state.runId(), d, spec.stepClass().getName(),
                    StepStatus.SKIPPED, null, null, null, state.configs().json(d), 0, null, now, reason, null, null));
            StepResult r = new StepResult(d, StepStatus.SKIPPED, Duration.ZERO, 0, Map.of(), reason);
            results.put(d, r);
            safely(() -> state.listener().stepFinished(state.runId(), r));
            queue.addAll(dependants.getOrDefault(d, List.of()));
        }
    }

    private static void safely(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("A run listener threw; ignoring it: {}", e.toString());
        }
    }
}
