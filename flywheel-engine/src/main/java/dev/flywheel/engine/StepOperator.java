package dev.flywheel.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs one step of a run somewhere else (a Spark or Kubernetes cluster) and waits for it: a stack component kind
 * with no embedded flavor, so a stack has one only when given ({@code flywheel stack register NAME -s OPERATOR}).
 * A step opts in with {@code StepSpec.onStepOperator()}.
 *
 * <p>The engine writes a job file ({@link dev.flywheel.engine.run.StepJob}) naming the step, its config and its
 * input artifacts; there, the operator's entry point calls {@link dev.flywheel.engine.run.RemoteStep#run}, which
 * reads the inputs from the artifact store, calls the step, writes the outputs back to the store and writes the
 * job's result file, which the engine then records exactly as for a local step. A plain JVM does this with
 * {@link Launch#command} (built by {@link Launch#plainJvm}). The operator only provides the place: it launches, waits, collects logs, and kills the
 * work when the timeout passes or the run is cancelled.
 *
 * <p>Implementations are thread-safe; one operator serves several steps at once.
 */
public interface StepOperator {

    /**
     * Runs the step to its end.
     *
     * @return how it ended; never throws for a step that failed (that is an outcome), only for an operator that
     *         could not launch anything (FlywheelException UNAVAILABLE naming the cluster and the cause)
     */
    Outcome run(Launch launch);

    /**
     * The folder, visible both here and where the step runs, in which the engine writes each attempt's job and the
     * step writes its result ({@code StepJob.folder}); null (the default) for a temporary folder of this machine,
     * for places that read this machine's files (a Spark driver in client mode).
     */
    default Path jobFolder() {
        return null;
    }

    /**
     * One step to run.
     *
     * @param runId       the run it belongs to
     * @param pipeline    the pipeline's name
     * @param step        the step's name
     * @param attempt     the attempt, from 1
     * @param jobFile     the job file the remote entry point reads (a folder the place can see)
     * @param classpath   the jars and class folders the step needs (Flywheel's and the pipeline's)
     * @param environment variables the command needs; values may be secrets, never log them
     * @param timeout     when to give up and kill it; null for none
     */
    record Launch(String runId, String pipeline, String step, int attempt, Path jobFile, List<String> command, List<String> classpath,
                  Map<String, String> environment, Duration timeout) {
        public Launch {
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(step, "step");
            command = List.copyOf(command);
            classpath = List.copyOf(classpath);
            environment = Map.copyOf(environment);
        }

        /** A launch given only as a command (operators that run a process in an image of their own). */
        public Launch(String runId, String pipeline, String step, List<String> command, Map<String, String> environment,
                      List<String> classpath, Duration timeout) {
            this(runId, pipeline, step, 1, null, command, classpath, environment, timeout);
        }

        /** The plain-JVM command that runs a job: {@code java -cp CLASSPATH RemoteStepMain JOB}. */
        public static List<String> plainJvm(String java, List<String> classpath, Path jobFile) {
            return List.of(java, "-cp", String.join(java.contains("\\") ? ";" : ":", classpath),
                    dev.flywheel.engine.run.RemoteStepMain.class.getName(), jobFile.toString());
        }

        @Override
        public String toString() {
            return "Launch[run=" + runId + ", step=" + step + ", attempt=" + attempt + ", environment=" + environment.keySet() + "]";
        }
    }

    /**
     * How a launched step ended, as the place saw it (the step's own result is in the job's result file).
     *
     * @param succeeded  whether the work finished without the place failing it
     * @param externalId the cluster's id of it (a Spark application id, a Job name), or null when none was given
     * @param url        where people can look at it, or null
     * @param reason     why it failed, in the cluster's words; null when it succeeded
     * @param details    what the place reports about it (executors used), recorded as step metadata
     * @param log        the tail of its log, or null
     */
    record Outcome(boolean succeeded, String externalId, String url, String reason, Map<String, Object> details, String log) {
        public Outcome {
            details = details == null ? Map.of() : Map.copyOf(details);
        }

        /** An outcome with no details or log. */
        public Outcome(boolean succeeded, String externalId, String url, String reason) {
            this(succeeded, externalId, url, reason, Map.of(), null);
        }
    }
}
