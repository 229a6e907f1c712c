package dev.flywheel.store.metadata;

import java.time.Instant;

/** A pipeline that has run at least once in this store, with the last definition it ran with. */
public record PipelineRecord(String name, String description, Instant createdAt, Instant lastRunAt, String specJson) {
}
