package dev.flywheel.store.metadata;

import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.RunStatus;

import java.time.Instant;

/**
 * Which runs to list, newest first, one page at a time. Every filter is optional (null: any). Paging is by key, not
 * offset: {@code after} is the last run of the previous page, so a page costs the same on run 10 and run 100,000 and
 * runs started meanwhile do not shift it.
 *
 * @param pipeline      only this pipeline's runs
 * @param status        only runs in this status
 * @param trigger       only runs launched this way ({@code manual}, {@code schedule:...}); a prefix ending in {@code :}
 *                      matches every run whose trigger starts with it
 * @param startedAfter  only runs started at or after this instant
 * @param startedBefore only runs started before this instant
 * @param after         the position to continue after, or null for the first page
 * @param limit         at most this many runs, 1 to {@link #MAX_LIMIT}
 * @param branch        only runs of code on this git branch
 */
public record RunQuery(String pipeline, RunStatus status, String trigger, Instant startedAfter, Instant startedBefore,
                       Position after, int limit, String branch) {
    public static final int MAX_LIMIT = 1000;

    public RunQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw FlywheelException.invalid("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
    }

    /** A query of runs of any branch. */
    public RunQuery(String pipeline, RunStatus status, String trigger, Instant startedAfter, Instant startedBefore,
                    Position after, int limit) {
        this(pipeline, status, trigger, startedAfter, startedBefore, after, limit, null);
    }

    /** The first page of every run. */
    public static RunQuery newest(int limit) {
        return new RunQuery(null, null, null, null, null, null, limit, null);
    }

    /** The same query for one pipeline's runs (null: every pipeline). */
    public RunQuery withPipeline(String name) {
        return new RunQuery(name, status, trigger, startedAfter, startedBefore, after, limit, branch);
    }

    /** The same query for runs of code on one git branch (null: any). */
    public RunQuery withBranch(String name) {
        return new RunQuery(pipeline, status, trigger, startedAfter, startedBefore, after, limit, name);
    }

    /** Where a page ended: the start time and id of its last run (runs are ordered by start time, then id, both descending). */
    public record Position(Instant startedAt, String id) {
    }

    /** One page of runs; {@code next} continues after its last run, null when there are no more. */
    public record Page(java.util.List<RunRecord> runs, Position next) {
        public Page {
            runs = java.util.List.copyOf(runs);
        }
    }
}
