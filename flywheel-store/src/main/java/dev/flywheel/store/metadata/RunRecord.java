package dev.flywheel.store.metadata;

import dev.flywheel.sdk.LaunchReason;
import dev.flywheel.sdk.RunStatus;
import dev.flywheel.sdk.SourceVersion;

import java.time.Instant;

/**
 * A pipeline run as stored. {@code finishedAt} and {@code error} are null while it runs.
 *
 * @param ownerHost      the host of the process running it
 * @param ownerPid       that process's pid
 * @param ownerStartedAt when that process started, so a reused pid is not taken for the owner; null for runs
 *                       recorded before Flywheel kept it
 * @param launchReason   why it was launched, typed (the schedule fire, trigger, webhook delivery, upstream run or a
 *                       person); null for runs recorded before Flywheel kept it
 * @param fireId         the scheduler's fire that launched it ({@code SOURCE_ID/FIRE_KEY}), or null
 * @param source         the git commit, branch and dirty state of the code it ran; {@link SourceVersion#UNKNOWN}
 *                       (never null) when unknown
 */
public record RunRecord(String id, String pipeline, RunStatus status, Instant startedAt, Instant finishedAt,
                        String trigger, String paramsJson, String error, String ownerHost, long ownerPid,
                        Instant ownerStartedAt, LaunchReason launchReason, String fireId, SourceVersion source) {
    public RunRecord {
        source = source == null ? SourceVersion.UNKNOWN : source;
    }

    /** A run whose code version is unknown. */
    public RunRecord(String id, String pipeline, RunStatus status, Instant startedAt, Instant finishedAt,
                     String trigger, String paramsJson, String error, String ownerHost, long ownerPid,
                     Instant ownerStartedAt, LaunchReason launchReason, String fireId) {
        this(id, pipeline, status, startedAt, finishedAt, trigger, paramsJson, error, ownerHost, ownerPid, ownerStartedAt,
                launchReason, fireId, SourceVersion.UNKNOWN);
    }

    /** A run without a recorded launch reason (as runs recorded before Flywheel kept one). */
    public RunRecord(String id, String pipeline, RunStatus status, Instant startedAt, Instant finishedAt, String trigger,
                     String paramsJson, String error, String ownerHost, long ownerPid, Instant ownerStartedAt) {
        this(id, pipeline, status, startedAt, finishedAt, trigger, paramsJson, error, ownerHost, ownerPid, ownerStartedAt, null, null, SourceVersion.UNKNOWN);
    }
}
