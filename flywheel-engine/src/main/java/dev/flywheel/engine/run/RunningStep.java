package dev.flywheel.engine.run;

import dev.flywheel.sdk.StepContext;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/** The {@link StepContext} handed to one step execution. */
final class RunningStep implements StepContext {
    private final RunState run;
    private final String step;
    private final StepLog log;
    private final Map<String, Object> metadata = new ConcurrentSkipListMap<>();
    private volatile int attempt = 1;

    RunningStep(RunState run, String step, StepLog log) {
        this.run = run;
        this.step = step;
        this.log = log;
    }

    @Override
    public String pipelineName() {
        return run.pipeline().name();
    }

    @Override
    public String runId() {
        return run.runId();
    }

    @Override
    public String stepName() {
        return step;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    void attempt(int value) {
        attempt = value;
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
        return run.components().get(type);
    }

    Map<String, Object> metadata() {
        return metadata;
    }
}
