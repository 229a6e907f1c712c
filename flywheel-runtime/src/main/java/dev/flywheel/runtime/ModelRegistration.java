package dev.flywheel.runtime;

import dev.flywheel.engine.run.OutputHook;
import dev.flywheel.registry.ModelRegistry;
import dev.flywheel.registry.ModelVersion;
import dev.flywheel.sdk.model.Model;

/**
 * Registers every {@link Model} a step returns as a new version, with the model's metrics and the step's lineage,
 * and stores the reference profile of its training data with it (see {@link Monitoring#recordReferenceProfile}).
 * A model that fails to load or to match its signature fails the step with the registry's message, so a broken model
 * never reaches the registry silently.
 */
final class ModelRegistration implements OutputHook {
    private final ModelRegistry registry;
    private final Monitoring monitoring;

    ModelRegistration(ModelRegistry registry, Monitoring monitoring) {
        this.registry = registry;
        this.monitoring = monitoring;
    }

    @Override
    public void outputStored(StoredOutput output) {
        if (output.value() instanceof Model model) {
            ModelVersion version = registry.register(model, output.runId(), output.step());
            if (!version.tags().containsKey(Monitoring.PROFILE_TAG)) {
                monitoring.recordReferenceProfile(version);
            }
        }
    }
}
