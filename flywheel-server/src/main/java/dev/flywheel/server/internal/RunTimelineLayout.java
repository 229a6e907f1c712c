package dev.flywheel.server.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A run of many steps as a timeline: one row per step in the order they ran, its bar from start to end on a time
 * axis shared by all (a DAG of hundreds of boxes is unreadable; when each step ran and for how long is what helps).
 */
final class RunTimelineLayout {
    /** Above this many steps the run page draws the timeline instead of the graph. */
    static final int GRAPH_LIMIT = 100;
    private static final int LABEL = 200;
    private static final int PLOT = 720;
    private static final int ROW = 16;
    private static final int TOP = 22;

    private RunTimelineLayout() {
    }

    static Pages.Timeline of(RunViews.Detail run) {
        Instant start = run.run().startedAt();
        Instant end = start;
        for (RunViews.StepView s : run.steps()) {
            if (s.finishedAt() != null && s.finishedAt().isAfter(end)) {
                end = s.finishedAt();
            }
            if (s.startedAt() != null && s.startedAt().isAfter(end)) {
                end = s.startedAt();
            }
        }
        long total = Math.max(1, Duration.between(start, end).toMillis());
        List<Pages.TimelineBar> bars = new ArrayList<>();
        int row = 0;
        for (RunViews.StepView s : run.steps()) {
            Instant from = s.startedAt() == null ? start : s.startedAt();
            Instant to = s.finishedAt() == null ? from : s.finishedAt();
            int x = LABEL + (int) (PLOT * Duration.between(start, from).toMillis() / total);
            int w = Math.max(2, (int) (PLOT * Duration.between(from, to).toMillis() / total));
            bars.add(new Pages.TimelineBar(s.name(), Show.lower(s.status()), Show.duration(s.durationMillis()), Math.min(x, LABEL + PLOT - 2),
                    TOP + row * ROW, Math.min(w, LABEL + PLOT - x), ROW - 4));
            row++;
        }
        return new Pages.Timeline(bars, LABEL + PLOT + 10, TOP + row * ROW + 6, LABEL, Show.duration(total));
    }
}
