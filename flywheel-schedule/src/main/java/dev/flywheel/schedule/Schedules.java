package dev.flywheel.schedule;

import dev.flywheel.schedule.store.FireLedger;
import dev.flywheel.schedule.store.ScheduleTable;
import dev.flywheel.schedule.store.StoreJson;
import dev.flywheel.schedule.store.Rows;
import dev.flywheel.schedule.store.TriggerTable;
import dev.flywheel.schedule.time.FireTimes;
import dev.flywheel.schedule.trigger.FolderState;
import dev.flywheel.schedule.trigger.FolderTrigger;
import dev.flywheel.schedule.trigger.ModelWatch;
import dev.flywheel.schedule.trigger.PipelineCursor;
import dev.flywheel.schedule.trigger.TriggerCheck;
import dev.flywheel.schedule.trigger.WatchState;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.Schedule;
import dev.flywheel.store.metadata.MetadataStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Schedules and triggers of one project: register, list, describe, pause, resume, update, delete. What the
 * scheduler daemon reads; the CLI's {@code flywheel schedules} and {@code flywheel triggers} are shells over it.
 * Registering validates everything (cron fields, paths, table names) before anything is stored. Thread-safe.
 *
 * <pre>{@code
 * ScheduleRecord s = flywheel.schedules().create("bike_demand", Schedule.every(Duration.ofDays(14)),
 *         LaunchSpec.of("target/classes:target/lib/*"));
 * }</pre>
 */
public final class Schedules {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ScheduleTable schedules;
    private final TriggerTable triggers;
    private final FireLedger fires;
    private final Clock clock;
    private final PipelineCheck pipelines;
    private final WebhookSecrets secrets;
    private final ModelWatch models;

    /** Schedules whose pipelines and parameters are not checked (see {@link PipelineCheck#NONE}). */
    public Schedules(MetadataStore store, Clock clock) {
        this(store, clock, PipelineCheck.NONE);
    }

    /** Schedules that check, at creation, that their pipeline exists and takes their parameters. */
    public Schedules(MetadataStore store, Clock clock, PipelineCheck pipelines) {
        this(store, clock, pipelines, WebhookSecrets.inRows());
    }

    /** As {@link #Schedules(MetadataStore, Clock, PipelineCheck)}, keeping webhook secrets in {@code secrets}. */
    public Schedules(MetadataStore store, Clock clock, PipelineCheck pipelines, WebhookSecrets secrets) {
        this(store, clock, pipelines, secrets, ModelWatch.NONE);
    }

    /** As above; drift and performance triggers check at creation, through {@code models}, that their model exists. */
    public Schedules(MetadataStore store, Clock clock, PipelineCheck pipelines, WebhookSecrets secrets, ModelWatch models) {
        this.models = Objects.requireNonNull(models, "models");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.schedules = new ScheduleTable(store);
        this.triggers = new TriggerTable(store);
        this.fires = new FireLedger(store);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pipelines = Objects.requireNonNull(pipelines, "pipelines");
    }

    /**
     * Registers {@code schedule} for {@code pipeline}. A schedule without a start starts now (milliseconds), so an
     * interval schedule fires for the first time when a scheduler next looks.
     *
     * @throws FlywheelException INVALID_ARGUMENT for a bad cron expression, an end before the start, a schedule
     *                           that would never fire or whose fire times cannot be computed (see {@link FireTimes#check}),
     *                           or a parameter that matches no step or field; NOT_FOUND for an unknown pipeline
     */
    public ScheduleRecord create(String pipeline, Schedule schedule, LaunchSpec launch) {
        requireName(pipeline);
        Instant now = now();
        FireTimes.check(schedule, now, now);
        pipelines.launchable(pipeline, launch, Set.of());
        ScheduleRecord r = new ScheduleRecord(newId(), pipeline, launch, schedule, false, null, now, now, null);
        schedules.insert(r);
        return r;
    }

    public List<ScheduleDescription> list() {
        return schedules.list().stream().map(s -> describe(s, 1)).toList();
    }

    /** The schedule with this id or unique prefix, its next fire and its last {@code lastFires} fires. */
    public ScheduleDescription describe(String idOrPrefix, int lastFires) {
        return describe(schedules.get(idOrPrefix), lastFires);
    }

    private ScheduleDescription describe(ScheduleRecord s, int lastFires) {
        Optional<Instant> next = Optional.empty();
        if (!s.paused()) {
            Instant after = now();
            Optional<Instant> last = fires.recent(s.id(), 1).stream().map(FireRecord::fireTime).findFirst();
            if (last.isPresent() && last.get().isAfter(after)) {
                after = last.get();
            }
            next = nextFire(s, after);
        }
        return new ScheduleDescription(s, next, fires.recent(s.id(), lastFires));
    }

    private static Optional<Instant> nextFire(ScheduleRecord s, Instant after) {
        try {
            FireTimes times = FireTimes.of(s.schedule(), s.createdAt());
            // before the first fire, "next" is the start itself
            if (after.isBefore(times.start())) {
                return Optional.of(times.start());
            }
            return times.nextFireAfter(after);
        } catch (RuntimeException e) {
            return Optional.empty(); // a stored schedule that cannot be planned has no next fire (the scheduler marks it broken)
        }
    }

    /** Stops launching the schedule's fires until {@link #resume}; fires due meanwhile are not caught up. */
    public ScheduleRecord pause(String idOrPrefix) {
        ScheduleRecord s = schedules.get(idOrPrefix);
        ScheduleRecord paused = new ScheduleRecord(s.id(), s.pipeline(), s.launch(), s.schedule(), true, s.notBefore(),
                s.createdAt(), now(), s.broken());
        schedules.update(paused);
        return paused;
    }

    /**
     * Launches fires again from now on; the fires that fell into the pause are not caught up. Resuming a broken
     * schedule clears the mark, so the scheduler tries it again.
     */
    public ScheduleRecord resume(String idOrPrefix) {
        ScheduleRecord s = schedules.get(idOrPrefix);
        if (!s.paused() && s.broken() == null) {
            return s;
        }
        Instant now = now();
        // A fire exactly at "now" still runs: not-before excludes only fires strictly before the resume.
        ScheduleRecord resumed = new ScheduleRecord(s.id(), s.pipeline(), s.launch(), s.schedule(), false,
                now.minusMillis(1), s.createdAt(), now, null);
        schedules.update(resumed);
        return resumed;
    }

    /**
     * Changes the schedule's timing, bounds, catch-up or concurrency; checked like {@link #create}. Clears a broken
     * mark: the changed schedule is tried again.
     */
    public ScheduleRecord update(String idOrPrefix, UnaryOperator<Schedule> change) {
        ScheduleRecord s = schedules.get(idOrPrefix);
        Schedule changed = change.apply(s.schedule());
        FireTimes.check(changed, s.createdAt(), now());
        ScheduleRecord updated = new ScheduleRecord(s.id(), s.pipeline(), s.launch(), changed, s.paused(), s.notBefore(),
                s.createdAt(), now(), null);
        schedules.update(updated);
        return updated;
    }

    /**
     * Deletes the schedule and its history; runs it started stay in the runs list. Works on a schedule whose stored
     * definition cannot be read, too.
     */
    public SourceRef delete(String idOrPrefix) {
        SourceRef s = schedules.ref(idOrPrefix);
        schedules.delete(s.id());
        return s;
    }

    /** The schedule with this id or unique prefix, by name only: works when its definition cannot be read. */
    public SourceRef scheduleRef(String idOrPrefix) {
        return schedules.ref(idOrPrefix);
    }

    /** The trigger with this id or unique prefix, by name only: works when its definition cannot be read. */
    public SourceRef triggerRef(String idOrPrefix) {
        return triggers.ref(idOrPrefix);
    }

    /** Every schedule as {@code schedules list} shows it: readable ones with their next and last fire, then unreadable ones. */
    public List<Listed<ScheduleDescription>> listedSchedules() {
        List<Listed<ScheduleDescription>> all = new java.util.ArrayList<>();
        list().forEach(d -> all.add(new Listed.Readable<>(d)));
        schedules.rows().unreadable().forEach(u -> all.add(new Listed.Unreadable<>(u)));
        return all;
    }

    /** Every trigger as {@code triggers list} shows it: readable ones with their last fire, then unreadable ones. */
    public List<Listed<TriggerDescription>> listedTriggers() {
        Rows<TriggerRecord> rows = triggers.rows();
        List<Listed<TriggerDescription>> all = new java.util.ArrayList<>();
        rows.readable().forEach(t -> all.add(new Listed.Readable<>(new TriggerDescription(t, fires(t.id(), 1)))));
        rows.unreadable().forEach(u -> all.add(new Listed.Unreadable<>(u)));
        return all;
    }

    /** Stored schedules and triggers whose definition cannot be read: they never fire; delete them. */
    public List<UnreadableSource> unreadable() {
        List<UnreadableSource> all = new java.util.ArrayList<>(schedules.rows().unreadable());
        all.addAll(triggers.rows().unreadable());
        return all;
    }

    /**
     * Registers a trigger. Data already there does not fire: a folder trigger starts with the files present now as
     * consumed, a row-count trigger with the current count, a pipeline trigger with runs finishing from now on.
     *
     * @throws FlywheelException INVALID_ARGUMENT for a folder that does not exist, a parameter (a folder trigger's files
     *                           parameter included) that matches no step or field, a table that cannot be counted;
     *                           NOT_FOUND for an unknown pipeline or upstream pipeline
     */
    public TriggerRecord createTrigger(String pipeline, TriggerSpec spec, LaunchSpec launch, int maxConcurrentRuns) {
        requireName(pipeline);
        if (maxConcurrentRuns < 1) {
            throw FlywheelException.invalid("maxConcurrentRuns must be at least 1, got " + maxConcurrentRuns);
        }
        if (spec instanceof TriggerSpec.PipelineFinished p && p.upstream().equals(pipeline)) {
            throw FlywheelException.invalid("Pipeline trigger would make '" + pipeline + "' run itself after every run;"
                    + " use a schedule to repeat a pipeline");
        }
        switch (spec) {
            case TriggerSpec.Folder f -> {
                if (!Files.isDirectory(Path.of(f.folder()))) {
                    throw FlywheelException.invalid("Folder trigger on " + f.folder() + ": " + (Files.exists(Path.of(f.folder()))
                            ? "it is a file, not a folder" : "the folder does not exist") + "; create it first (mkdir -p "
                            + f.folder() + ") or fix --folder");
                }
                pipelines.launchable(pipeline, launch, Set.of(f.filesParam()));
            }
            case TriggerSpec.PipelineFinished p -> {
                pipelines.known(p.upstream());
                pipelines.launchable(pipeline, launch, Set.of());
            }
            case TriggerSpec.RowCount r -> pipelines.launchable(pipeline, launch, Set.of());
            case TriggerSpec.Webhook w -> pipelines.launchable(pipeline, launch, Set.of());
            case TriggerSpec.Drift d -> {
                models.known(d.model());
                pipelines.launchable(pipeline, launch, Set.of());
            }
            case TriggerSpec.Performance p -> {
                models.known(p.model());
                pipelines.launchable(pipeline, launch, Set.of());
            }
        }
        Instant now = now();
        String state = switch (spec) {
            case TriggerSpec.Folder f -> {
                FolderTrigger baseline = new FolderTrigger(f.config().minFiles(1).minBytes(0).debounce(Duration.ZERO), clock);
                yield StoreJson.write(baseline.check(FolderState.empty()) instanceof TriggerCheck.Fire<FolderState> fire
                        ? fire.state() : FolderState.empty());
            }
            case TriggerSpec.RowCount r -> StoreJson.write(r.trigger().baseline());
            case TriggerSpec.Webhook w -> "{}";
            case TriggerSpec.PipelineFinished p -> StoreJson.write(new PipelineCursor(now.toEpochMilli()));
            case TriggerSpec.Drift d -> StoreJson.write(WatchState.initial());
            case TriggerSpec.Performance p -> StoreJson.write(WatchState.initial());
        };
        String id = newId();
        // the signing secret goes to the secrets store; the row keeps a reference to it. The row is written first, so
        // a read-only or broken metadata store is what a refusal names, and nothing is left in the secrets store
        TriggerSpec stored = spec instanceof TriggerSpec.Webhook w ? secrets.reference(id, w) : spec;
        TriggerRecord r = new TriggerRecord(id, pipeline, stored, launch, maxConcurrentRuns, false, state, now, now, null);
        triggers.insert(r);
        if (spec instanceof TriggerSpec.Webhook w && stored != spec) {
            try {
                secrets.put(id, w);
            } catch (RuntimeException e) {
                triggers.delete(id);
                throw e;
            }
        }
        return r;
    }

    /** A random webhook secret: 32 hex digits (128 bits). */
    public static String newSecret() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    public List<TriggerRecord> triggers() {
        return triggers.list();
    }

    public TriggerRecord trigger(String idOrPrefix) {
        return triggers.get(idOrPrefix);
    }

    public TriggerRecord pauseTrigger(String idOrPrefix) {
        TriggerRecord t = triggers.get(idOrPrefix);
        triggers.setPaused(t.id(), true, now());
        return triggers.get(t.id());
    }

    public TriggerRecord resumeTrigger(String idOrPrefix) {
        TriggerRecord t = triggers.get(idOrPrefix);
        triggers.setPaused(t.id(), false, now());
        return triggers.get(t.id());
    }

    /** Deletes the trigger and its history (also one whose stored definition cannot be read). */
    public SourceRef deleteTrigger(String idOrPrefix) {
        SourceRef t = triggers.ref(idOrPrefix);
        triggers.delete(t.id());
        secrets.delete(t.id());
        return t;
    }

    /** The newest {@code limit} fires of a schedule or trigger (by full id), newest first. */
    public List<FireRecord> fires(String sourceId, int limit) {
        return fires.recent(sourceId, limit);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static String newId() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static void requireName(String pipeline) {
        if (pipeline == null || !pipeline.matches("[A-Za-z_][A-Za-z0-9_\\-]*")) {
            throw FlywheelException.invalid("Pipeline name '" + pipeline + "' is not valid: use letters, digits, '_' and '-'");
        }
    }
}
