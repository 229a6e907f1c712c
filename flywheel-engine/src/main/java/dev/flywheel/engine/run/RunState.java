package dev.flywheel.engine.run;

import dev.flywheel.engine.StepOperator;
import dev.flywheel.engine.config.StepConfigs;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.RunListener;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** What the steps of one run share: the definition, the resolved configs, and the outputs produced so far. */
public final class RunState {
    private final String runId;
    private final Pipeline pipeline;
    private final StepConfigs configs;
    private final boolean cacheEnabled;
    private final RunListener listener;
    private final StepComponents components;
    private final StepOperator everyStep;
    private final Map<String, Map<String, ProducedOutput>> outputs = new ConcurrentHashMap<>();

    public RunState(String runId, Pipeline pipeline, StepConfigs configs, boolean cacheEnabled, RunListener listener,
                    StepComponents components) {
        this(runId, pipeline, configs, cacheEnabled, listener, components, null);
    }

    /**
     * @param everyStep the operator every step of the run goes to (an orchestrator whose steps all run elsewhere, such
     *                  as Kubernetes Jobs); null runs steps here, and only those marked {@code onStepOperator()} on the
     *                  stack's step operator
     */
    public RunState(String runId, Pipeline pipeline, StepConfigs configs, boolean cacheEnabled, RunListener listener,
                    StepComponents components, StepOperator everyStep) {
        this.everyStep = everyStep;
        this.components = components;
        this.runId = runId;
        this.pipeline = pipeline;
        this.configs = configs;
        this.cacheEnabled = cacheEnabled;
        this.listener = listener;
    }

    public String runId() {
        return runId;
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    public StepConfigs configs() {
        return configs;
    }

    public boolean cacheEnabled() {
        return cacheEnabled;
    }

    public StepComponents components() {
        return components;
    }

    /** The operator every step goes to, or null (see the constructor). */
    public StepOperator everyStep() {
        return everyStep;
    }

    public RunListener listener() {
        return listener;
    }

    /** Makes a succeeded step's outputs available to its dependants. */
    public void publish(String step, Map<String, ProducedOutput> produced) {
        outputs.put(step, produced);
    }

    ProducedOutput output(String step, String output) {
        Map<String, ProducedOutput> produced = outputs.get(step);
        ProducedOutput p = produced == null ? null : produced.get(output);
        if (p == null) {
            throw new IllegalStateException("output " + step + "." + output + " requested before it was produced");
        }
        return p;
    }
}
