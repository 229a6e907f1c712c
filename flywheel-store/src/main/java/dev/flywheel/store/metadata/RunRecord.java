package dev.flywheel.store.metadata;

import dev.flywheel.sdk.RunStatus;

import java.time.Instant;

/** A pipeline run as stored. {@code finishedAt} and {@code error} are null while it runs. */
public record RunRecord(String id, String pipeline, RunStatus status, Instant startedAt, Instant finishedAt,
                        String trigger, String paramsJson, String error, String ownerHost, long ownerPid) {
}
