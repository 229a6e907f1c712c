package dev.flywheel.runtime;

import dev.flywheel.engine.run.OutputHook;
import dev.flywheel.registry.ModelRegistry;
import dev.flywheel.sdk.model.Model;

/**
 * Registers every {@link Model} a step returns as a new version, with the model's metrics and the step's lineage.
 * A model that fails to load or to match its signature fails the step with the registry's message, so a broken model
 * never reaches the registry silently.
 */
final class ModelRegistration implements OutputHook {
    private final ModelRegistry registry;

    ModelRegistration(ModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void outputStored(StoredOutput output) {
        if (output.value() instanceof Model model) {
            registry.register(model, output.runId(), output.step());
        }
    }
}
