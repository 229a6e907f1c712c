package dev.flywheel.engine.run;

import dev.flywheel.engine.config.StepConfigs;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.metadata.ArtifactRecord;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a step running on a step operator needs: which step, its config, and its input artifacts in the artifact
 * store at {@code artifactStore}. Written as JSON by the engine, read by {@link RemoteStep} on the other side.
 *
 * @param configJson the step's config as JSON, or null when it takes none
 * @param resultFile where {@link RemoteStep} writes its {@link StepJobResult}
 */
public record StepJob(String runId, String pipeline, String step, String stepClass, int attempt, String configJson,
                      URI artifactStore, List<Input> inputs, Path resultFile) {
    public StepJob {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(stepClass, "stepClass");
        Objects.requireNonNull(artifactStore, "artifactStore");
        Objects.requireNonNull(resultFile, "resultFile");
        inputs = List.copyOf(inputs);
    }

    /** One input: the artifact bound to the step's input {@code name}. */
    public record Input(String name, String artifactId, URI uri, String type, String materializer, long size, String sha256,
                        String runId, String stepName, String outputName) {
        static Input of(String name, ArtifactRecord a) {
            return new Input(name, a.id(), a.uri(), a.type(), a.materializer(), a.size(), a.sha256(), a.runId(), a.stepName(),
                    a.outputName());
        }

        ArtifactRecord record() {
            return new ArtifactRecord(artifactId, uri, type, materializer, size, sha256, Instant.EPOCH, null, runId, stepName, outputName);
        }
    }

    /**
     * Where the job of one attempt lives under an operator's shared job folder ({@code StepOperator.jobFolder()}): the
     * same path for whoever computes it, so a rendered manifest names the file a run writes.
     */
    public static Path folder(Path jobFolder, String runId, String step, int attempt) {
        return jobFolder.resolve(runId).resolve(step + "-" + attempt);
    }

    /** The job file in {@link #folder}. */
    public static Path file(Path jobFolder, String runId, String step, int attempt) {
        return folder(jobFolder, runId, step, attempt).resolve("job.json");
    }

    public void write(Path file) {
        writeJson(this, file);
    }

    public static StepJob read(Path file) {
        return readJson(file, StepJob.class, "step job");
    }

    static void writeJson(Object value, Path file) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            StepConfigs.mapper().writeValue(tmp.toFile(), value);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static <T> T readJson(Path file, Class<T> type, String what) {
        try {
            return StepConfigs.mapper().readValue(file.toFile(), type);
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.INVALID_ARGUMENT, "cannot read the " + what + " " + file + ": " + e.getMessage(), e);
        }
    }
}
