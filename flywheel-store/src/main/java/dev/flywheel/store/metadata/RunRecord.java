package dev.flywheel.store.metadata;

import dev.flywheel.sdk.RunStatus;

import java.time.Instant;

/**
 * A pipeline run as stored. {@code finishedAt} and {@code error} are null while it runs.
 *
 * @param ownerHost      the host of the process running it
 * @param ownerPid       that process's pid
 * @param ownerStartedAt when that process started, so a reused pid is not taken for the owner; null for runs
 *                       recorded before Flywheel kept it
 */
public record RunRecord(String id, String pipeline, RunStatus status, Instant startedAt, Instant finishedAt,
                        String trigger, String paramsJson, String error, String ownerHost, long ownerPid,
                        Instant ownerStartedAt) {
}
