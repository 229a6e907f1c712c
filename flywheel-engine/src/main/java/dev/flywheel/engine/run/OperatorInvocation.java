package dev.flywheel.engine.run;

import dev.flywheel.engine.StepOperator;
import dev.flywheel.engine.artifact.ArtifactIo;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.StepSpec;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** One attempt of a step on the stack's step operator: the job written, the operator called, the result read back. */
final class OperatorInvocation {
    private OperatorInvocation() {
    }

    /**
     * Runs one attempt there.
     *
     * @throws FlywheelException                when the stack has no step operator or its artifact store is out of reach
     *                                          there, or the operator could not launch anything (no retry helps)
     * @throws StepInvocation.StepFailure       when the step or its application failed (retried like a local failure)
     */
    static StepJobResult run(RunState run, StepSpec spec, Map<String, ProducedOutput> inputs, ArtifactIo io, RunningStep context,
                             int attempt, StepLog log) throws StepInvocation.StepFailure {
        StepOperator operator = operator(run, spec);
        if (!"file".equalsIgnoreCase(io.store().root().getScheme()) && operator.jobFolder() == null) {
            throw FlywheelException.invalid("Step '" + spec.name() + "' runs on the step operator, which reads and writes artifacts in"
                    + " a local artifact store folder it can see; this stack's artifact store is at " + io.store().root()
                    + ". Use a stack with a local artifact store on a shared folder, or an operator whose steps open the store themselves"
                    + " (kubernetes: an s3 store, credentials through secretEnv)");
        }
        Path folder;
        try {
            Path shared = operator.jobFolder();
            folder = shared == null ? Files.createTempDirectory("flywheel-step-")
                    : Files.createDirectories(StepJob.folder(shared, run.runId(), spec.name(), attempt));
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "cannot create the step job folder: " + e.getMessage(), e);
        }
        try {
            List<StepJob.Input> in = new ArrayList<>();
            inputs.forEach((name, produced) -> in.add(StepJob.Input.of(name, produced.artifact())));
            Path jobFile = folder.resolve("job.json");
            Path resultFile = folder.resolve("result.json");
            new StepJob(run.runId(), run.pipeline().name(), spec.name(), spec.stepClass().getName(), attempt, run.configs().json(spec.name()),
                    io.store().root(), in, resultFile).write(jobFile);
            List<String> classpath = classpath(spec.stepClass().getClassLoader());
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            StepOperator.Launch launch = new StepOperator.Launch(run.runId(), run.pipeline().name(), spec.name(), attempt, jobFile,
                    StepOperator.Launch.plainJvm(java, classpath, jobFile), classpath, Map.of(), spec.options().timeout());
            StepOperator.Outcome outcome = operator.run(launch);
            if (outcome.externalId() != null) {
                context.metadata("operator.id", outcome.externalId());
            }
            if (outcome.url() != null) {
                context.metadata("operator.url", outcome.url());
            }
            outcome.details().forEach(context::metadata);
            StepJobResult result = Files.exists(resultFile) ? StepJobResult.read(resultFile) : null;
            if (result != null) {
                result.metadata().forEach((k, v) -> {
                    if (v != null) {
                        context.metadata(k, v);
                    }
                });
                if (result.log() != null) {
                    log.append(result.log());
                }
            }
            if (outcome.log() != null) {
                log.line("--- step operator log (attempt " + attempt + ", " + (outcome.externalId() == null ? "no id" : outcome.externalId()) + ") ---");
                log.line(outcome.log());
            }
            if (result != null && !result.succeeded()) {
                throw new StepInvocation.StepFailure(result.error(), null);
            }
            if (!outcome.succeeded()) {
                throw new StepInvocation.StepFailure("the step operator's application failed: " + outcome.reason(), null);
            }
            if (result == null) {
                throw new StepInvocation.StepFailure("the step operator's application ended without writing the step's result", null);
            }
            return result;
        } finally {
            deleteQuietly(folder);
            if (operator.jobFolder() != null) {
                deleteIfEmpty(folder.getParent()); // the run's folder, once its last job is gone
            }
        }
    }

    private static void deleteIfEmpty(Path folder) {
        try {
            Files.deleteIfExists(folder);
        } catch (IOException stillUsed) {
            // another step of the run still has its job there
        }
    }

    private static StepOperator operator(RunState run, StepSpec spec) {
        if (run.everyStep() != null) {
            return run.everyStep();
        }
        try {
            return run.components().get(StepOperator.class);
        } catch (FlywheelException e) {
            if (e.code() != ErrorCode.NOT_FOUND) {
                throw e;
            }
            throw new FlywheelException(ErrorCode.NOT_FOUND, "Step '" + spec.name() + "' runs on the step operator, but this run's stack"
                    + " has none; register one (flywheel step-operator register cluster --flavor spark -s master=spark://HOST:7077) and"
                    + " add it to the stack (flywheel stack register NAME ... --step-operator cluster)");
        }
    }

    /** The jars and class folders of {@code loader} and its parents, then the JVM's class path. */
    static List<String> classpath(ClassLoader loader) {
        Set<String> out = new LinkedHashSet<>();
        for (ClassLoader l = loader; l != null; l = l.getParent()) {
            if (l instanceof URLClassLoader u) {
                for (URL url : u.getURLs()) {
                    try {
                        out.add(Path.of(url.toURI()).toString());
                    } catch (URISyntaxException | IllegalArgumentException notAFile) {
                        // only local files can be shipped
                    }
                }
            }
        }
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                out.add(Path.of(entry).toAbsolutePath().toString());
            }
        }
        return List.copyOf(out);
    }

    private static void deleteQuietly(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder; the OS cleans it eventually
        }
    }
}
