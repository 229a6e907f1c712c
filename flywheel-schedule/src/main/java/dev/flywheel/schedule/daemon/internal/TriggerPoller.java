package dev.flywheel.schedule.daemon.internal;

import dev.flywheel.schedule.FireRecord;
import dev.flywheel.schedule.FireState;
import dev.flywheel.schedule.TriggerRecord;
import dev.flywheel.schedule.TriggerSpec;
import dev.flywheel.schedule.store.StoreJson;
import dev.flywheel.schedule.store.TriggerTable;
import dev.flywheel.schedule.trigger.FolderState;
import dev.flywheel.schedule.trigger.DriftTrigger;
import dev.flywheel.schedule.trigger.FolderTrigger;
import dev.flywheel.schedule.trigger.ModelAlerts;
import dev.flywheel.schedule.trigger.ModelWatch;
import dev.flywheel.schedule.trigger.PerformanceTrigger;
import dev.flywheel.schedule.trigger.WatchState;
import dev.flywheel.schedule.trigger.PipelineCursor;
import dev.flywheel.schedule.trigger.PipelineFinishedTrigger;
import dev.flywheel.schedule.trigger.RunFinished;
import dev.flywheel.schedule.trigger.RowCountState;
import dev.flywheel.schedule.trigger.TriggerCheck;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.LaunchReason;
import dev.flywheel.sdk.RunStatus;
import dev.flywheel.sdk.alert.Alert;
import dev.flywheel.sdk.alert.Alerter;
import dev.flywheel.store.metadata.MetadataStore;
import dev.flywheel.store.metadata.RunRecord;
import dev.flywheel.store.metadata.RunRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Checks the data and pipeline triggers once per poll and records a fire for each that fires. The trigger's new
 * state and its fire are stored in one transaction that first checks the state is still the one checked against,
 * so of two schedulers only one consumes the same data. Webhook triggers are not polled (see
 * {@link WebhookEndpoint}). Called from the scheduler's loop thread only. A condition that may pass (a folder or
 * database that cannot be reached: UNAVAILABLE) is logged once and retried; anything else is thrown, and the
 * scheduler marks the trigger broken.
 */
public final class TriggerPoller {
    private static final Logger log = LoggerFactory.getLogger(TriggerPoller.class);

    private final MetadataStore store;
    private final TriggerTable triggers;
    private final Clock clock;
    private final ModelWatch models;
    private final Alerter alerter;
    /** Folder triggers keep their debounce memory between polls, per trigger and config. */
    private final Map<String, FolderTrigger> folders = new HashMap<>();
    private final Map<String, String> lastProblem = new HashMap<>();

    public TriggerPoller(MetadataStore store, TriggerTable triggers, Clock clock) {
        this(store, triggers, clock, ModelWatch.NONE, ModelAlerts.NONE);
    }

    /** A poller that reads deployed models through {@code models} and tells {@code alerter} when a model trigger fires. */
    public TriggerPoller(MetadataStore store, TriggerTable triggers, Clock clock, ModelWatch models, Alerter alerter) {
        this.models = models;
        this.alerter = alerter;
        this.store = store;
        this.triggers = triggers;
        this.clock = clock;
    }

    public void poll(TriggerRecord t, Instant now) {
        try {
            switch (t.spec()) {
                case TriggerSpec.Folder f -> folder(t, f, now);
                case TriggerSpec.RowCount r -> rows(t, r, now);
                case TriggerSpec.PipelineFinished p -> upstream(t, p, now);
                case TriggerSpec.Webhook w -> {
                }
                case TriggerSpec.Drift d -> watch(t, new DriftTrigger(d.config()).check(models, state(t), now), now);
                case TriggerSpec.Performance p -> watch(t, new PerformanceTrigger(p.config()).check(models, state(t), now), now);
            }
            if (lastProblem.remove(t.id()) != null) {
                log.info("trigger recovered: id={}", t.id());
            }
        } catch (FlywheelException e) {
            if (e.code() != ErrorCode.UNAVAILABLE) {
                throw e; // not a passing condition (a folder that cannot be read, a database that is down): the trigger is broken
            }
            // Logged once per distinct problem, not once per poll.
            if (!e.getMessage().equals(lastProblem.put(t.id(), e.getMessage()))) {
                log.warn("trigger check failed: id={} kind={} reason={}", t.id(), t.spec().kind(), e.getMessage());
            }
        }
    }

    private void folder(TriggerRecord t, TriggerSpec.Folder f, Instant now) {
        FolderTrigger trigger = folders.computeIfAbsent(t.id() + StoreJson.write(f), k -> new FolderTrigger(f.config(), clock));
        FolderState state = StoreJson.read(t.stateJson(), FolderState.class, "state of trigger " + t.id());
        TriggerCheck<FolderState> check = trigger.check(state);
        String next = StoreJson.write(check.state());
        if (check instanceof TriggerCheck.Fire<FolderState> fire) {
            LaunchReason.NewFiles files = (LaunchReason.NewFiles) fire.reason();
            String paths = StoreJson.write(files.resolved().stream().map(p -> p.toAbsolutePath().toString()).toList());
            FireRecord r = fire(t, digest(next), now, "data:" + files.files().size() + " files", fire.reason(),
                    Map.of(f.filesParam(), paths));
            triggers.advance(t.id(), t.stateJson(), next, List.of(r), now);
        } else if (!next.equals(t.stateJson())) {
            triggers.advance(t.id(), t.stateJson(), next, List.of(), now);
        }
    }

    private void rows(TriggerRecord t, TriggerSpec.RowCount r, Instant now) {
        RowCountState state = StoreJson.read(t.stateJson(), RowCountState.class, "state of trigger " + t.id());
        TriggerCheck<RowCountState> check = r.trigger().check(state);
        String next = StoreJson.write(check.state());
        if (check instanceof TriggerCheck.Fire<RowCountState> fire) {
            LaunchReason.NewRows rows = (LaunchReason.NewRows) fire.reason();
            FireRecord rec = fire(t, "rows:" + rows.previousCount() + "-" + rows.currentCount() + "@" + now.toEpochMilli(), now,
                    "data:" + rows.delta() + " rows", rows, Map.of());
            triggers.advance(t.id(), t.stateJson(), next, List.of(rec), now);
        } else if (!next.equals(t.stateJson())) {
            triggers.advance(t.id(), t.stateJson(), next, List.of(), now);
        }
    }

    private static WatchState state(TriggerRecord t) {
        return StoreJson.read(t.stateJson(), WatchState.class, "state of trigger " + t.id());
    }

    /** A drift or performance check: its reading is kept for describe; a fire is keyed by the time it fired. */
    private void watch(TriggerRecord t, TriggerCheck<WatchState> check, Instant now) {
        String next = StoreJson.write(check.state());
        if (check instanceof TriggerCheck.Fire<WatchState> fire) {
            Alert alert = ModelAlerts.fired(t.id(), t.pipeline(), fire.reason());
            FireRecord rec = fire(t, t.spec().kind() + "@" + now.toEpochMilli(), now, alert.details().get("fire"), fire.reason(), Map.of());
            triggers.advance(t.id(), t.stateJson(), next, List.of(rec), now);
            // told after the fire is recorded, off this thread: an alerter that is down never holds up the retraining
            ModelAlerts.postLater(alerter, alert);
        } else if (!next.equals(t.stateJson())) {
            triggers.advance(t.id(), t.stateJson(), next, List.of(), now);
        }
    }

    /** Runs of the upstream pipeline that finished since the cursor, read from the runs table. */
    private void upstream(TriggerRecord t, TriggerSpec.PipelineFinished p, Instant now) {
        PipelineCursor cursor = StoreJson.read(t.stateJson(), PipelineCursor.class, "state of trigger " + t.id());
        // asked of the runs' owner (the store's records API), not read from its table here
        List<RunRecord> finished = new RunRecords(store).finishedSince(p.upstream(), Instant.ofEpochMilli(cursor.finishedFromMillis()));
        if (finished.isEmpty()) {
            return;
        }
        PipelineFinishedTrigger rule = new PipelineFinishedTrigger(p.upstream(), p.on(), t.pipeline());
        List<FireRecord> fires = new ArrayList<>();
        for (RunRecord run : finished) {
            rule.evaluate(new RunFinished(p.upstream(), run.id(), run.status(), run.finishedAt()))
                    .ifPresent(reason -> fires.add(fire(t, run.id(), now, "upstream:" + p.upstream() + "/" + run.id(), reason, Map.of())));
        }
        String next = StoreJson.write(new PipelineCursor(finished.getLast().finishedAt().toEpochMilli()));
        triggers.advance(t.id(), t.stateJson(), next, fires, now);
    }

    private static FireRecord fire(TriggerRecord t, String key, Instant now, String trigger, LaunchReason reason,
                                   Map<String, String> params) {
        return new FireRecord(t.id(), key, FireRecord.SourceKind.TRIGGER, t.pipeline(), now, FireState.DEFERRED, trigger,
                StoreJson.write(reason), params, null, null, null, null, now, null, null, null);
    }

    private static String digest(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "files:" + HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
