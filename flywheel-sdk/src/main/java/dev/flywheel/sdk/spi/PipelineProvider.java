package dev.flywheel.sdk.spi;

import dev.flywheel.sdk.Pipeline;

import java.util.List;

/**
 * Makes a project's pipelines known by name, so {@code flywheel run NAME} and the scheduler can start them
 * without the user's program. List the implementation in
 * {@code META-INF/services/dev.flywheel.sdk.spi.PipelineProvider}.
 *
 * <pre>{@code
 * public final class BikePipelines implements PipelineProvider {
 *     public List<Pipeline> pipelines() {
 *         return List.of(BikeDemand.training());
 *     }
 * }
 * }</pre>
 *
 * Implementations need a public no-argument constructor; {@link #pipelines()} may be called often and should
 * only build definitions (no I/O).
 */
public interface PipelineProvider {
    List<Pipeline> pipelines();
}
