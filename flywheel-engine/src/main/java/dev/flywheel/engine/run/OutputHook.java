package dev.flywheel.engine.run;

import dev.flywheel.store.metadata.ArtifactRecord;

/**
 * Called after a step's output has been stored and recorded, before the step counts as succeeded; the model
 * registry uses it to register every {@code Model} a step returns. Cached outputs are not announced again.
 * A hook that throws fails the step with the hook's message. Hooks run on the step's thread.
 */
@FunctionalInterface
public interface OutputHook {
    void outputStored(StoredOutput output);

    /** An output just stored: its value, its artifact, and where it came from. */
    record StoredOutput(String pipeline, String runId, String step, String output, Object value, ArtifactRecord artifact) {
    }
}
