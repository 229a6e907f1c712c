package dev.flywheel.registry;

import dev.flywheel.sdk.model.ModelSignature;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One registered version of a model: its file (immutable), its signature, metrics, stage, aliases and lineage.
 *
 * @param file       the model file, loadable directly by its format
 * @param provenance {@code provenance.json}: data hashes, step config and code hash, run, time, platform
 * @param createdBy  who registered it ({@code pipeline:NAME} for a pipeline step, else the actor given)
 */
public record ModelVersion(String model, int version, String format, Stage stage, List<String> aliases, String description,
                           Map<String, String> tags, Map<String, Double> metrics, ModelSignature signature, StoredFile file,
                           StoredFile provenance, Lineage lineage, Instant createdAt, String createdBy, Instant stageChangedAt) {
    public ModelVersion {
        aliases = List.copyOf(aliases);
        tags = Map.copyOf(tags);
        metrics = Map.copyOf(metrics);
    }

    /** This version as a reference, for {@link ModelRegistry#get(ModelRef)}. */
    public ModelRef ref() {
        return ModelRef.version(model, version);
    }
}
