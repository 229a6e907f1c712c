package dev.flywheel.store.metadata;

import java.net.URI;
import java.time.Instant;

/**
 * A stored step output: where its bytes are ({@code uri}), what they are ({@code type}, written by the
 * materializer {@code materializer}), and which step run produced it.
 */
public record ArtifactRecord(String id, URI uri, String type, String materializer, long size, String sha256,
                             Instant createdAt, String producerStepRun, String runId, String stepName, String outputName) {
}
