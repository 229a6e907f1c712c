package dev.flywheel.cli.command;

import dev.flywheel.schedule.Broken;
import dev.flywheel.schedule.FireRecord;
import dev.flywheel.schedule.ScheduleDescription;
import dev.flywheel.schedule.TriggerRecord;
import dev.flywheel.schedule.TriggerSpec;
import dev.flywheel.schedule.UnreadableSource;
import dev.flywheel.sdk.Schedule;
import dev.flywheel.sdk.Timing;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON shapes of {@code schedules} and {@code triggers} output: plain values, secrets left out. */
final class ScheduleViews {
    private ScheduleViews() {
    }

    record FireView(String fireKey, Instant fireTime, String state, String trigger, String runId, Long pid, Instant launchedAt,
                    Instant finishedAt, String message, String log) {
        static FireView of(FireRecord f) {
            return new FireView(f.fireKey(), f.fireTime(), f.state().name(), f.trigger(), f.runId(), f.pid(), f.launchedAt(),
                    f.finishedAt(), f.message(), f.logFile());
        }
    }

    record ScheduleView(String id, String pipeline, String timing, Instant start, Instant end, String catchUp, int maxConcurrentRuns,
                        boolean paused, String broken, Instant brokenAt, Instant nextFire, String classpath, Map<String, String> params,
                        Instant createdAt, List<FireView> lastFires) {
        static ScheduleView of(ScheduleDescription d) {
            Schedule s = d.schedule().schedule();
            Broken b = d.schedule().broken();
            return new ScheduleView(d.schedule().id(), d.schedule().pipeline(), ScheduleViews.timing(s.timing()), s.start(), s.end(), s.catchUp().name(),
                    s.maxConcurrentRuns(), d.schedule().paused(), b == null ? null : b.reason(), b == null ? null : b.since(),
                    d.nextFire().orElse(null), d.schedule().launch().classpath(),
                    d.schedule().launch().params(), d.schedule().createdAt(), d.lastFires().stream().map(FireView::of).toList());
        }
    }

    record TriggerView(String id, String pipeline, String kind, String condition, int maxConcurrentRuns, boolean paused,
                       String broken, Instant brokenAt, String state, String webhookPath, Instant createdAt, List<FireView> lastFires) {
        static TriggerView of(TriggerRecord t, List<FireRecord> fires) {
            Broken b = t.broken();
            return new TriggerView(t.id(), t.pipeline(), t.spec().kind(), ScheduleViews.condition(t.spec()), t.maxConcurrentRuns(), t.paused(),
                    b == null ? null : b.reason(), b == null ? null : b.since(),
                    t.spec() instanceof TriggerSpec.Webhook ? null : t.stateJson(),
                    t.spec() instanceof TriggerSpec.Webhook ? "/hooks/" + t.id() : null, t.createdAt(),
                    fires.stream().map(FireView::of).toList());
        }
    }

    /** A stored schedule or trigger whose definition cannot be read: only its id, pipeline and why. */
    record UnreadableView(String id, String pipeline, String kind, String broken) {
        static UnreadableView of(UnreadableSource u) {
            return new UnreadableView(u.id(), u.pipeline(), u.kind(), "its stored definition cannot be read: " + u.reason());
        }
    }

    /** "active", "paused" or "broken". */
    static String state(boolean paused, Broken broken) {
        return broken != null ? "broken" : paused ? "paused" : "active";
    }

    /** After a table: one line per broken or unreadable entry, with what to do. */
    static void printProblems(java.io.PrintWriter out, String kind, List<String[]> brokenIdAndReason, List<UnreadableSource> unreadable) {
        for (String[] b : brokenIdAndReason) {
            out.println();
            out.println("Broken " + kind + " " + b[0] + " (skipped by the scheduler): " + b[1]);
            out.println("  fix it with: flywheel " + kind + "s " + (kind.equals("schedule") ? "update " + b[0] + " ..." : "resume " + b[0])
                    + ", or remove it: flywheel " + kind + "s delete " + b[0]);
        }
        for (UnreadableSource u : unreadable) {
            out.println();
            out.println("Unreadable " + kind + " " + u.id() + " of " + u.pipeline() + " (never fires): " + u.reason());
            out.println("  remove it with: flywheel " + kind + "s delete " + u.id());
        }
    }

    static String timing(Timing timing) {
        return switch (timing) {
            case Timing.Interval i -> "every " + Durations.format(i.every());
            case Timing.Cron c -> "cron '" + c.expression() + "' " + c.zone();
        };
    }

    static String condition(TriggerSpec spec) {
        return switch (spec) {
            case TriggerSpec.Folder f -> f.minFiles() + "+ new " + f.glob() + " in " + f.folder() + " (quiet " + Durations.format(f.debounce())
                    + (f.minBytes() > 0 ? ", " + f.minBytes() + "+ bytes" : "") + ") -> param " + f.filesParam();
            case TriggerSpec.RowCount r -> r.minNewRows() + "+ new rows in " + r.table();
            case TriggerSpec.Webhook w -> "signed POST /hooks/ID";
            case TriggerSpec.PipelineFinished p -> p.upstream() + " " + p.on().stream().map(Enum::name).sorted().toList();
        };
    }
}
