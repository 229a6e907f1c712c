package dev.flywheel.registry;

import java.net.URI;

/**
 * An artifact a model version was trained or evaluated on.
 *
 * @param name  {@code step.output} of the step that produced it
 * @param depth 1 for an input of the step that returned the model, 2 for an input of that input's step, ...
 */
public record DataArtifact(String artifactId, String name, String type, URI uri, String sha256, long size, int depth) {
}
