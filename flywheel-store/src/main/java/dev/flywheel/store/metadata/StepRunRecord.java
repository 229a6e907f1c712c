package dev.flywheel.store.metadata;

import dev.flywheel.sdk.StepStatus;

import java.time.Instant;

/**
 * One step of one run as stored.
 *
 * @param cachedFrom for a {@code CACHED} step, the id of the step run whose outputs were reused
 * @param codeHash   the sha256 of the step's bytecode at the time it ran
 */
public record StepRunRecord(String id, String runId, String name, String stepClass, StepStatus status, String cacheKey,
                            String cachedFrom, String codeHash, String configJson, int attempts, Instant startedAt,
                            Instant finishedAt, String error, String logs, String metadataJson) {
}
