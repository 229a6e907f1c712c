package dev.flywheel.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs one step of a run somewhere else (a Spark or Kubernetes cluster) and waits for it: a stack component kind
 * with no embedded flavor, so a stack has one only when given ({@code flywheel stack register NAME -s OPERATOR}).
 * The step itself runs there through Flywheel's step entry point (the {@link Launch#command()}), which reads its
 * inputs from the stack's artifact store and records its outputs in the metadata store exactly as a local step
 * does; the operator only provides the place: it launches the command with the environment, waits, collects logs,
 * and kills it when the timeout passes or the run is cancelled.
 *
 * <p>Implementations are thread-safe; one operator serves several steps at once.
 */
public interface StepOperator {

    /**
     * Runs the step's command to its end.
     *
     * @return how it ended; never throws for a step that failed (that is an outcome), only for an operator that
     *         could not launch anything (FlywheelException UNAVAILABLE naming the cluster and the cause)
     */
    Outcome run(Launch launch);

    /**
     * One step to run.
     *
     * @param runId       the run it belongs to
     * @param pipeline    the pipeline's name
     * @param step        the step's name
     * @param command     the entry point to execute there ({@code java ... dev.flywheel.cli.Main step-run ...})
     * @param environment variables the command needs (where the stores are); values may be secrets, never log them
     * @param classpath   the jars the step needs, for operators that ship them
     * @param timeout     when to give up and kill it; null for none
     */
    record Launch(String runId, String pipeline, String step, List<String> command, Map<String, String> environment,
                  List<String> classpath, Duration timeout) {
        public Launch {
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(step, "step");
            command = List.copyOf(command);
            environment = Map.copyOf(environment);
            classpath = List.copyOf(classpath);
        }

        @Override
        public String toString() {
            return "Launch[run=" + runId + ", step=" + step + ", environment=" + environment.keySet() + "]";
        }
    }

    /**
     * How a launched step ended.
     *
     * @param succeeded  whether the command finished successfully
     * @param externalId the cluster's id of it (a Spark application id, a Job name)
     * @param url        where people can look at it, or null
     * @param reason     why it failed, in the cluster's words; null when it succeeded
     */
    record Outcome(boolean succeeded, String externalId, String url, String reason) {
    }
}
