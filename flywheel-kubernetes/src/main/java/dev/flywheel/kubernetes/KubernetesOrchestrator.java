package dev.flywheel.kubernetes;

import dev.flywheel.engine.Orchestrator;
import dev.flywheel.engine.StepOperator;
import dev.flywheel.engine.config.StepConfigs;
import dev.flywheel.engine.run.StepJob;
import dev.flywheel.kubernetes.internal.JobManifests;
import dev.flywheel.kubernetes.internal.Manifests;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.RunListener;
import dev.flywheel.sdk.RunOptions;
import dev.flywheel.sdk.RunResult;
import dev.flywheel.sdk.StepSpec;
import dev.flywheel.sdk.Wire;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code kubernetes} orchestrator: every step of a run is a Kubernetes Job. Scheduling stays in this process (the
 * engine's: a step's Job is created once the steps it depends on have succeeded, a failed step skips its dependants,
 * the cache is checked first, so a cached step runs no Job), the work runs in the cluster through the same Job rendering
 * as the {@code kubernetes} step operator, and the run's status follows the Jobs' outcomes.
 */
public final class KubernetesOrchestrator implements Orchestrator, AutoCloseable {
    private final Orchestrator scheduler;
    private final KubernetesJobOperator jobs;

    /**
     * @param scheduler the engine's orchestrator built to send every step to {@code jobs}
     */
    public KubernetesOrchestrator(Orchestrator scheduler, KubernetesJobOperator jobs) {
        this.scheduler = scheduler;
        this.jobs = jobs;
    }

    @Override
    public RunResult run(Pipeline pipeline, RunOptions options, RunListener listener) {
        return scheduler.run(pipeline, options, listener);
    }

    @Override
    public String render(Pipeline pipeline, RunOptions options) {
        return render(pipeline, options, UUID.randomUUID().toString());
    }

    /** The Jobs of a run with this id, in an order that respects the dependencies (each step's first attempt). */
    public String render(Pipeline pipeline, RunOptions options, String runId) {
        StepConfigs.resolve(pipeline, options.params()); // the same checks as a run: a bad --param renders nothing
        List<GenericKubernetesResource> out = new ArrayList<>();
        for (StepSpec s : dependencyOrder(pipeline)) {
            List<String> after = pipeline.inputsOf(s.name()).stream().map(Wire::fromStep).distinct().toList();
            StepOperator.Launch launch = new StepOperator.Launch(runId, pipeline.name(), s.name(), 1,
                    StepJob.file(jobs.jobFolder(), runId, s.name(), 1), List.of(), List.of(), Map.of(), s.options().timeout());
            out.add(jobs.render(launch, after));
        }
        return Manifests.yaml(out);
    }

    /** The steps, each after the steps it reads from; ties keep the pipeline's order. */
    static List<StepSpec> dependencyOrder(Pipeline pipeline) {
        Map<String, StepSpec> left = new LinkedHashMap<>();
        pipeline.steps().forEach(s -> left.put(s.name(), s));
        List<StepSpec> ordered = new ArrayList<>();
        while (!left.isEmpty()) {
            StepSpec next = left.values().stream()
                    .filter(s -> pipeline.inputsOf(s.name()).stream().noneMatch(w -> left.containsKey(w.fromStep())))
                    .findFirst().orElseThrow(() -> new IllegalStateException("the pipeline's wiring has a cycle")); // refused at build
            ordered.add(next);
            left.remove(next.name());
        }
        return ordered;
    }

    @Override
    public void close() {
        jobs.close();
    }
}
