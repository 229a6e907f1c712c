package dev.flywheel.engine.run;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How a step run by {@link RemoteStep} ended: its outputs, already in the artifact store, or why it failed.
 *
 * @param error    why it failed, for the user; null when it succeeded
 * @param metadata what the step recorded with {@code StepContext.metadata}
 * @param log      what it logged, or null
 */
public record StepJobResult(boolean succeeded, String error, List<Output> outputs, Map<String, Object> metadata, String log) {
    public StepJobResult {
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        metadata = metadata == null ? Map.of() : metadata;
    }

    /** One output as written to the artifact store. */
    public record Output(String name, URI uri, long size, String sha256, String type, String materializer) {
    }

    public void write(Path file) {
        StepJob.writeJson(this, file);
    }

    public static StepJobResult read(Path file) {
        return StepJob.readJson(file, StepJobResult.class, "step result");
    }
}
