package dev.flywheel.schedule;

import dev.flywheel.sdk.DurationText;
import dev.flywheel.sdk.Schedule;
import dev.flywheel.sdk.Timing;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Schedules, triggers and their fires as plain values for JSON (CLI {@code --json}, REST API): secrets left out. */
public final class SourceViews {
    private SourceViews() {
    }

    public record FireView(String fireKey, Instant fireTime, String state, String trigger, String runId, Long pid, Instant launchedAt,
                    Instant finishedAt, String message, String log) {
        public static FireView of(FireRecord f) {
            return new FireView(f.fireKey(), f.fireTime(), f.state().name(), f.trigger(), f.runId(), f.pid(), f.launchedAt(),
                    f.finishedAt(), f.message(), f.logFile());
        }
    }

    public record ScheduleView(String id, String pipeline, String timing, Instant start, Instant end, String catchUp, int maxConcurrentRuns,
                        boolean paused, String broken, Instant brokenAt, Instant nextFire, String classpath, Map<String, String> params,
                        Instant createdAt, List<FireView> lastFires) {
        public static ScheduleView of(ScheduleDescription d) {
            Schedule s = d.schedule().schedule();
            Broken b = d.schedule().broken();
            return new ScheduleView(d.schedule().id(), d.schedule().pipeline(), SourceViews.timing(s.timing()), s.start(), s.end(), s.catchUp().name(),
                    s.maxConcurrentRuns(), d.schedule().paused(), b == null ? null : b.reason(), b == null ? null : b.since(),
                    d.nextFire().orElse(null), d.schedule().launch().classpath(),
                    d.schedule().launch().params(), d.schedule().createdAt(), d.lastFires().stream().map(FireView::of).toList());
        }
    }

    public record TriggerView(String id, String pipeline, String kind, String condition, int maxConcurrentRuns, boolean paused,
                       String broken, Instant brokenAt, String state, String webhookPath, Instant createdAt, List<FireView> lastFires) {
        public static TriggerView of(TriggerRecord t, List<FireRecord> fires) {
            Broken b = t.broken();
            return new TriggerView(t.id(), t.pipeline(), t.spec().kind(), SourceViews.condition(t.spec()), t.maxConcurrentRuns(), t.paused(),
                    b == null ? null : b.reason(), b == null ? null : b.since(),
                    t.spec() instanceof TriggerSpec.Webhook ? null : t.stateJson(),
                    t.spec() instanceof TriggerSpec.Webhook ? "/hooks/" + t.id() : null, t.createdAt(),
                    fires.stream().map(FireView::of).toList());
        }
    }

    /** A stored schedule or trigger whose definition cannot be read: only its id, pipeline and why. */
    public record UnreadableView(String id, String pipeline, String kind, String broken) {
        public static UnreadableView of(UnreadableSource u) {
            return new UnreadableView(u.id(), u.pipeline(), u.kind(), "its stored definition cannot be read: " + u.reason());
        }
    }

    /** "active", "paused" or "broken". */
    public static String state(boolean paused, Broken broken) {
        return broken != null ? "broken" : paused ? "paused" : "active";
    }

    public static String timing(Timing timing) {
        return switch (timing) {
            case Timing.Interval i -> "every " + DurationText.format(i.every());
            case Timing.Cron c -> "cron '" + c.expression() + "' " + c.zone();
        };
    }

    public static String condition(TriggerSpec spec) {
        return switch (spec) {
            case TriggerSpec.Folder f -> f.minFiles() + "+ new " + f.glob() + " in " + f.folder() + " (quiet " + DurationText.format(f.debounce())
                    + (f.minBytes() > 0 ? ", " + f.minBytes() + "+ bytes" : "") + ") -> param " + f.filesParam();
            case TriggerSpec.RowCount r -> r.minNewRows() + "+ new rows in " + r.table();
            case TriggerSpec.Webhook w -> "signed POST /hooks/ID";
            case TriggerSpec.PipelineFinished p -> p.upstream() + " " + p.on().stream().map(Enum::name).sorted().toList();
            case TriggerSpec.Drift d -> String.format(java.util.Locale.ROOT, "%s: %.0f%%+ of columns drift over %s (%d+ rows, cooldown %s, checked every %s)",
                    d.model(), d.share() * 100, DurationText.format(d.window()), d.minRows(), DurationText.format(d.cooldown()),
                    DurationText.format(d.checkEvery()));
            case TriggerSpec.Performance p -> String.format(java.util.Locale.ROOT, "%s: %s %s %s over %s (%d+ labels, cooldown %s, checked every %s)",
                    p.model(), p.metric(), p.config().direction(), p.config().threshold(), DurationText.format(p.window()), p.minLabels(),
                    DurationText.format(p.cooldown()), DurationText.format(p.checkEvery()));
        };
    }
}
