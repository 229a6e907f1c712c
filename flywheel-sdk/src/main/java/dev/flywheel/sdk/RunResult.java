package dev.flywheel.sdk;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** How a run ended, step by step. The run's full record stays in the metadata store under {@code runId}. */
public record RunResult(String runId, String pipeline, RunStatus status, Instant startedAt, Duration duration,
                        List<StepResult> steps, String error) {
    public RunResult {
        steps = List.copyOf(steps);
    }

    public boolean succeeded() {
        return status == RunStatus.SUCCEEDED;
    }

    public Optional<StepResult> step(String name) {
        return steps.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The artifact id of output {@code output} of step {@code step}. */
    public String artifactId(String step, String output) {
        StepResult s = step(step).orElseThrow(() -> FlywheelException.notFound("Run " + runId + " has no step '" + step + "'"));
        String id = s.outputs().get(output);
        if (id == null) {
            throw FlywheelException.notFound("Step '" + step + "' of run " + runId + " has no output '" + output
                    + "' (status " + s.status() + "); its outputs are " + s.outputs().keySet());
        }
        return id;
    }
}
