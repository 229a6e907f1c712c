package dev.flywheel.runtime;

import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.spi.PipelineProvider;

import java.util.List;

/** Registers the "stats" pipeline by name, as a user's project would, so it can be scheduled. */
public final class ScheduledPipelines implements PipelineProvider {
    @Override
    public List<Pipeline> pipelines() {
        return List.of(PipelineRunTest.stats(3));
    }
}
