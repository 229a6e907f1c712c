package dev.flywheel.schedule.daemon;

import dev.flywheel.daemon.DaemonFolder;
import dev.flywheel.schedule.FireRecord;
import dev.flywheel.schedule.FireState;
import dev.flywheel.schedule.LaunchSpec;
import dev.flywheel.schedule.ScheduleRecord;
import dev.flywheel.schedule.TriggerRecord;
import dev.flywheel.schedule.WebhookSecrets;
import dev.flywheel.schedule.daemon.internal.TriggerPoller;
import dev.flywheel.schedule.daemon.internal.WebhookEndpoint;
import dev.flywheel.schedule.plan.CatchUpPlan;
import dev.flywheel.schedule.plan.ConcurrencyGate;
import dev.flywheel.schedule.store.FireLedger;
import dev.flywheel.schedule.store.ScheduleTable;
import dev.flywheel.schedule.store.StoreJson;
import dev.flywheel.schedule.store.TriggerTable;
import dev.flywheel.schedule.time.FireTimes;
import dev.flywheel.schedule.UnreadableSource;
import dev.flywheel.schedule.store.Rows;
import dev.flywheel.schedule.trigger.ModelAlerts;
import dev.flywheel.schedule.trigger.ModelWatch;
import dev.flywheel.sdk.alert.Alert;
import dev.flywheel.sdk.alert.Alerter;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.LaunchReason;
import dev.flywheel.sdk.RunStatus;
import dev.flywheel.store.metadata.MetadataStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scheduler: launches due fires of schedules and triggers as runs, through a {@link RunLauncher}. Every fire
 * is first recorded in the store's {@code fires} table under a unique key, inside a write transaction, so two
 * schedulers on one store never both launch it, and a restarted scheduler continues where the last one stopped,
 * with each schedule's catch-up policy deciding about missed fires. Runs of one schedule or trigger never exceed
 * its concurrency cap; fires over the cap wait (state DEFERRED) and launch in order when a run ends.
 *
 * <p>{@link #start()} runs a loop thread that sleeps until the next due fire, the next trigger poll or a finished
 * run, whichever comes first; {@link #tick()} is one pass of that loop, for tests that move a fake clock.
 * Children are left running on {@link #close()}: a run finishes even when its scheduler stops.
 *
 * <pre>{@code
 * try (Scheduler s = new Scheduler(store, Clock.systemUTC(), launcher, SchedulerConfig.defaults(dir)).start()) {
 *     ... // runs in the background until closed
 * }
 * }</pre>
 */
public final class Scheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
    private static final AtomicLong INSTANCES = new AtomicLong();

    private final Clock clock;
    private final RunLauncher launcher;
    private final SchedulerConfig config;
    private final ScheduleTable schedules;
    private final TriggerTable triggers;
    private final FireLedger fires;
    private final TriggerPoller poller;
    private final Alerter alerter;
    private final WebhookEndpoint webhook;
    private final WebhookSecrets secrets;
    private final String owner;
    private final Map<String, RunLauncher.Launched> children = new ConcurrentHashMap<>();
    private final Object wakeLock = new Object();
    private boolean wakeRequested;
    private volatile boolean closed;
    private Thread loop;
    private Instant nextTriggerPoll = Instant.MIN;
    private Instant nextDue = Instant.MAX;
    // what the loop thread reports in its heartbeat (written and read by that thread only)
    private Instant lastPassAt;
    private long lastPassMillis;
    private Instant failingSince;
    private String lastError;
    private volatile int broken;
    private String lastHeartbeatProblem;

    /** A scheduler whose webhook triggers keep their secrets in their rows (see {@link WebhookSecrets#inRows()}). */
    public Scheduler(MetadataStore store, Clock clock, RunLauncher launcher, SchedulerConfig config) {
        this(store, clock, launcher, config, WebhookSecrets.inRows());
    }

    /** A scheduler that reads webhook signing secrets through {@code secrets}. */
    public Scheduler(MetadataStore store, Clock clock, RunLauncher launcher, SchedulerConfig config, WebhookSecrets secrets) {
        this(store, clock, launcher, config, secrets, ModelWatch.NONE, ModelAlerts.NONE);
    }

    /**
     * A scheduler whose drift and performance triggers read deployed models through {@code models} and tell
     * {@code alerter} when they fire.
     */
    public Scheduler(MetadataStore store, Clock clock, RunLauncher launcher, SchedulerConfig config, WebhookSecrets secrets,
                     ModelWatch models, Alerter alerter) {
        this.clock = clock;
        this.launcher = launcher;
        this.config = config;
        this.schedules = new ScheduleTable(store);
        this.triggers = new TriggerTable(store);
        this.fires = new FireLedger(store);
        this.poller = new TriggerPoller(store, triggers, clock, models, alerter);
        this.alerter = alerter;
        this.secrets = secrets;
        this.owner = ProcessHandle.current().pid() + "/" + INSTANCES.incrementAndGet() + "@" + host();
        this.webhook = config.webhookPort() < 0 ? null
                : new WebhookEndpoint(store, triggers, fires, clock, config.webhookTolerance(), config.webhookLimits(), this::wake,
                        secrets);
    }

    /** Starts the webhook endpoint (if configured) and the loop thread; returns this. */
    public synchronized Scheduler start() {
        if (loop != null) {
            throw new IllegalStateException("scheduler already started");
        }
        // the state folder is made once, here: the loop's heartbeat never recreates it, so a daemon whose folder is
        // removed sees it gone (FolderGuard) instead of bringing it back every pass
        DaemonFolder.create(config.stateDir());
        moveWebhookSecretsIntoStore();
        if (webhook != null) {
            webhook.start(config.webhookPort(), config.portFile());
        }
        loop = Thread.ofPlatform().name("flywheel-scheduler").daemon(false).start(this::loop);
        log.info("scheduler started: owner={} poll={} webhookPort={}", owner, config.pollInterval(), webhookPort());
        return this;
    }

    /** Plain secrets of webhook triggers made before the secrets store move there; a failure only delays it (they still verify). */
    private void moveWebhookSecretsIntoStore() {
        try {
            int moved = secrets.moveIntoStore(triggers, clock.instant());
            if (moved > 0) {
                log.info("moved the signing secrets of {} webhook trigger(s) into the secrets store", moved);
            }
        } catch (RuntimeException e) {
            log.warn("webhook secrets stay in their trigger rows for now: {}", e.getMessage());
        }
    }

    /** The webhook endpoint's port, or -1 when there is none. */
    public int webhookPort() {
        return webhook == null ? -1 : webhook.port();
    }

    /** Who this scheduler is in the fires table's {@code owner} column: {@code pid/instance@host}. */
    public String owner() {
        return owner;
    }

    /**
     * The loop: one pass, a heartbeat, a sleep. Nothing a pass throws ends it - not a bad schedule (that one is marked
     * broken inside the pass), not the store being unreachable (the pass is retried), not even an Error - because a
     * scheduler whose loop died while its process lives would silently stop all scheduled training.
     */
    private void loop() {
        while (!closed) {
            long t0 = System.nanoTime();
            try {
                tick();
                lastPassAt = clock.instant();
                lastPassMillis = (System.nanoTime() - t0) / 1_000_000;
                if (failingSince != null) {
                    log.info("scheduler passes succeed again after failing since {}", failingSince);
                }
                failingSince = null;
                lastError = null;
            } catch (Throwable e) {
                if (failingSince == null) {
                    failingSince = clock.instant();
                }
                String problem = e instanceof FlywheelException ? e.getMessage() : e.toString();
                if (!problem.equals(lastError)) {
                    log.error("scheduler pass failed; retrying every poll interval: {}", problem, e);
                }
                lastError = problem;
            }
            beat();
            long waitMillis = millisUntilNextPass();
            synchronized (wakeLock) {
                if (!wakeRequested && !closed && waitMillis > 0) {
                    try {
                        wakeLock.wait(waitMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                wakeRequested = false;
            }
        }
    }

    private long millisUntilNextPass() {
        Instant now = clock.instant();
        Instant next = nextTriggerPoll;
        if (nextDue.isBefore(next)) {
            next = nextDue;
        }
        Instant latest = now.plus(config.pollInterval());
        if (next.isAfter(latest)) {
            next = latest;
        }
        long nanos = Duration.between(now, next).toNanos();
        // round up: waking a hair early would only find the fire not yet due and wait again
        return nanos <= 0 ? 0 : nanos / 1_000_000 + 1;
    }

    /** Asks the loop for a pass now (a webhook was accepted, a child ended). */
    public void wake() {
        synchronized (wakeLock) {
            wakeRequested = true;
            wakeLock.notifyAll();
        }
    }

    /**
     * One pass: settle ended runs, record due fires of every active schedule, poll triggers when their interval
     * has passed, and launch waiting fires while their sources have free run slots. A schedule or trigger that
     * cannot be read, planned or checked is marked broken with the reason and skipped from then on; the others
     * fire as usual. Only a failure of the store itself fails the pass.
     */
    public synchronized void tick() {
        Instant now = clock.instant();
        settle(now);
        Rows<ScheduleRecord> scheduleRows = schedules.rows();
        Rows<TriggerRecord> triggerRows = triggers.rows();
        for (UnreadableSource u : scheduleRows.unreadable()) {
            markBroken(u.kind(), u.id(), "its stored definition cannot be read: " + u.reason(), now);
        }
        for (UnreadableSource u : triggerRows.unreadable()) {
            markBroken(u.kind(), u.id(), "its stored definition cannot be read: " + u.reason(), now);
        }
        List<ScheduleRecord> all = scheduleRows.readable();
        nextDue = Instant.MAX;
        for (ScheduleRecord s : all) {
            if (!s.paused() && s.broken() == null) {
                isolated("schedule", s.id(), () -> plan(s, now), now);
            }
        }
        List<TriggerRecord> allTriggers = triggerRows.readable();
        if (!now.isBefore(nextTriggerPoll)) {
            for (TriggerRecord t : allTriggers) {
                if (!t.paused() && t.broken() == null) {
                    isolated("trigger", t.id(), () -> poller.poll(t, now), now);
                }
            }
            nextTriggerPoll = now.plus(config.pollInterval());
        }
        dispatch(all, allTriggers);
        broken = (int) (scheduleRows.unreadable().size() + triggerRows.unreadable().size()
                + all.stream().filter(s -> s.broken() != null).count() + allTriggers.stream().filter(t -> t.broken() != null).count());
    }

    /**
     * Runs one schedule's or trigger's share of a pass. What goes wrong there belongs to that source, which is marked
     * broken; a store that cannot be reached would fail every source alike, so it fails the pass (retried next poll).
     */
    private void isolated(String kind, String id, Runnable work, Instant now) {
        try {
            work.run();
        } catch (FlywheelException e) {
            if (e.code() == ErrorCode.UNAVAILABLE) {
                throw e;
            }
            markBroken(kind, id, e.getMessage(), now);
        } catch (RuntimeException e) {
            markBroken(kind, id, "Flywheel could not plan it (" + e + "); this is a bug, please report it with the"
                    + " definition from: flywheel " + kind + "s describe " + id, now);
        }
    }

    private void markBroken(String kind, String id, String reason, Instant now) {
        boolean marked = kind.equals("schedule") ? schedules.markBroken(id, reason, now) : triggers.markBroken(id, reason, now);
        if (marked) {
            log.error("{} broken, skipped until updated, resumed or deleted: id={} reason={}", kind, id, reason);
        }
    }

    /** Writes the heartbeat file: what {@code scheduler status} reads to tell a live loop from a stuck one. */
    private void beat() {
        Heartbeat beat = new Heartbeat(ProcessHandle.current().pid(), owner, clock.instant(), lastPassAt, lastPassMillis,
                failingSince, lastError, config.pollInterval().toMillis(), broken);
        try {
            new DaemonFiles(config.stateDir()).writeHeartbeat(beat);
            lastHeartbeatProblem = null;
        } catch (FlywheelException e) {
            if (!e.getMessage().equals(lastHeartbeatProblem)) {
                log.warn("heartbeat not written: {}", e.getMessage());
            }
            lastHeartbeatProblem = e.getMessage();
        }
    }

    /** Ends fires whose child is gone: succeeded or failed as the run recorded, failed when there is no run. */
    private void settle(Instant now) {
        for (FireRecord f : fires.inState(FireState.PENDING, FireState.LAUNCHED)) {
            try {
                settle(f, now);
            } catch (FlywheelException e) {
                if (e.code() == ErrorCode.UNAVAILABLE) {
                    throw e;
                }
                log.error("fire not settled: source={} fire={} reason={}", f.sourceId(), f.fireKey(), e.getMessage());
            } catch (RuntimeException e) {
                log.error("fire not settled: source={} fire={} reason={}", f.sourceId(), f.fireKey(), e.toString(), e);
            }
        }
    }

    private void settle(FireRecord f, Instant now) {
        String key = key(f);
        RunLauncher.Launched own = children.get(key);
        if (f.state() == FireState.PENDING) {
            if (!f.owner().equals(owner) && !ownerAlive(f.owner())) {
                // The scheduler died between claiming and launching: the child may or may not have started, so
                // the fire is not retried (it must never run twice).
                fires.finish(f, FireState.FAILED, null, now, "scheduler " + f.owner() + " stopped while launching this fire");
            }
            return;
        }
        boolean alive = own != null ? own.isAlive() : f.pid() != null && ProcessHandle.of(f.pid()).map(ProcessHandle::isAlive).orElse(false);
        if (alive) {
            return;
        }
        children.remove(key);
        Optional<FireLedger.LaunchedRun> run = fires.runOf(f);
        if (run.isPresent() && run.get().status() == RunStatus.SUCCEEDED) {
            fires.finish(f, FireState.SUCCEEDED, run.get().runId(), now, null);
        } else if (run.isPresent() && run.get().status() == RunStatus.FAILED) {
            fires.finish(f, FireState.FAILED, run.get().runId(), now, "the run failed; see: flywheel runs describe " + run.get().runId());
            alertFailed(f, run.get().runId(), "the run failed; see: flywheel runs describe " + run.get().runId());
        } else {
            String code = own != null && own.exitCode().isPresent() ? " with exit code " + own.exitCode().getAsInt() : "";
            String message = "the run's process (pid " + f.pid() + ") ended" + code + (run.isPresent() ? " before the run finished" : " without recording a run")
                    + "; see its log " + f.logFile();
            fires.finish(f, FireState.FAILED, run.map(FireLedger.LaunchedRun::runId).orElse(null), now, message);
            alertFailed(f, run.map(FireLedger.LaunchedRun::runId).orElse(null), message);
        }
        log.info("fire ended: source={} fire={} pipeline={}", f.sourceId(), f.fireKey(), f.pipeline());
    }

    /** Records the due fires of one schedule, as its catch-up policy says, in one write transaction. */
    private void plan(ScheduleRecord s, Instant now) {
        FireTimes times = FireTimes.of(s.schedule(), s.createdAt());
        // A read first: most passes find nothing due, and they should not take the store's write lock.
        CatchUpPlan plan = fires.store().read(c -> planFrom(c, s, times, now));
        if (!plan.launch().isEmpty() || !plan.skipped().isEmpty()) {
            plan = claim(s, times, now);
        }
        plan.nextFire().ifPresent(t -> {
            if (t.isBefore(nextDue)) {
                nextDue = t;
            }
        });
    }

    private CatchUpPlan planFrom(java.sql.Connection c, ScheduleRecord s, FireTimes times, Instant now) throws java.sql.SQLException {
        Optional<Instant> last = fires.lastFireTime(c, s.id());
        if (s.notBefore() != null && (last.isEmpty() || last.get().isBefore(s.notBefore()))) {
            last = Optional.of(s.notBefore());
        }
        return config.planner().plan(times, s.schedule().catchUp(), last, now);
    }

    /** Plans again inside a write transaction and records the fires: another scheduler may have recorded them meanwhile. */
    private CatchUpPlan claim(ScheduleRecord s, FireTimes times, Instant now) {
        return fires.store().write(c -> {
            CatchUpPlan p = planFrom(c, s, times, now);
            Instant created = now.truncatedTo(ChronoUnit.MILLIS);
            for (Instant t : p.skipped()) {
                fires.claim(c, fire(s, t, FireState.SKIPPED, created, "missed while no scheduler ran; catch-up policy "
                        + s.schedule().catchUp() + " skips it"));
            }
            for (Instant t : p.launch()) {
                fires.claim(c, fire(s, t, FireState.DEFERRED, created, null));
            }
            return p;
        });
    }

    private FireRecord fire(ScheduleRecord s, Instant t, FireState state, Instant created, String message) {
        LaunchReason reason = new LaunchReason.ScheduledFire(s.id(), t);
        return new FireRecord(s.id(), t.toString(), FireRecord.SourceKind.SCHEDULE, s.pipeline(), t, state,
                "schedule:" + s.id() + "@" + t, StoreJson.write(reason), Map.of(), owner, null, null, null, created,
                null, state == FireState.SKIPPED ? created : null, message);
    }

    /** Launches waiting fires, oldest first per source, while the source has free run slots. */
    private void dispatch(List<ScheduleRecord> all, List<TriggerRecord> allTriggers) {
        Map<String, ScheduleRecord> byId = new HashMap<>();
        all.forEach(s -> byId.put(s.id(), s));
        Map<String, TriggerRecord> triggerById = new HashMap<>();
        allTriggers.forEach(t -> triggerById.put(t.id(), t));
        Map<String, List<FireRecord>> waiting = new LinkedHashMap<>();
        for (FireRecord f : fires.inState(FireState.DEFERRED)) {
            waiting.computeIfAbsent(f.sourceId(), k -> new ArrayList<>()).add(f);
        }
        for (Map.Entry<String, List<FireRecord>> e : waiting.entrySet()) {
            ScheduleRecord s = byId.get(e.getKey());
            TriggerRecord t = triggerById.get(e.getKey());
            if ((s == null && t == null) || (s != null && (s.paused() || s.broken() != null))
                    || (t != null && (t.paused() || t.broken() != null))) {
                continue;
            }
            int max = s != null ? s.schedule().maxConcurrentRuns() : t.maxConcurrentRuns();
            LaunchSpec launch = s != null ? s.launch() : t.launch();
            List<FireRecord> due = e.getValue();
            int free = ConcurrencyGate.admit(due.stream().map(FireRecord::fireTime).toList(), fires.running(e.getKey()), max)
                    .launchNow().size();
            for (FireRecord f : due.subList(0, free)) {
                if (fires.take(f, FireState.DEFERRED, owner)) {
                    launch(f, launch);
                }
            }
        }
    }

    private void launch(FireRecord f, LaunchSpec launch) {
        Instant now = clock.instant();
        Map<String, String> params = new LinkedHashMap<>(launch.params());
        params.putAll(f.params());
        Path logFile = config.stateDir().resolve("runs").resolve(f.sourceId() + "-" + now.toEpochMilli() + "-"
                + Integer.toHexString(f.fireKey().hashCode()) + ".log");
        try {
            RunLauncher.Launched child = launcher.launch(new RunLauncher.Request(f.pipeline(), launch, params, f.trigger(), logFile,
                    f.id(), f.reasonJson()));
            fires.launched(f, child.pid(), logFile.toString(), now);
            children.put(key(f), child);
            child.onExit(this::wake);
            log.info("fire launched: source={} fire={} pipeline={} pid={} lateMs={}", f.sourceId(), f.fireKey(), f.pipeline(),
                    child.pid(), Duration.between(f.fireTime(), now).toMillis());
        } catch (RuntimeException e) {
            fires.finish(f, FireState.FAILED, null, now, "could not start the run: " + e.getMessage());
            alertFailed(f, null, "could not start the run: " + e.getMessage());
            log.error("fire not launched: source={} fire={} pipeline={} reason={}", f.sourceId(), f.fireKey(), f.pipeline(), e.getMessage());
        }
    }

    /** Tells the alerter a fire's run failed: after the fire is recorded, off the loop thread. */
    private void alertFailed(FireRecord f, String runId, String message) {
        java.util.Map<String, String> details = new java.util.LinkedHashMap<>();
        details.put("pipeline", f.pipeline());
        details.put("source", f.sourceId());
        details.put("fire", f.trigger());
        if (runId != null) {
            details.put("run", runId);
        }
        ModelAlerts.postLater(alerter, new Alert(Alert.Severity.ERROR, "Run of " + f.pipeline() + " failed (" + f.trigger() + ")", message, details));
    }

    private static String key(FireRecord f) {
        return f.sourceId() + "\n" + f.fireKey();
    }

    private static boolean ownerAlive(String owner) {
        int slash = owner.indexOf('/');
        int at = owner.indexOf('@');
        if (slash < 0 || at < 0 || !owner.substring(at + 1).equals(host())) {
            return true; // another host's scheduler: assume alive, never steal its fire
        }
        try {
            return ProcessHandle.of(Long.parseLong(owner.substring(0, slash))).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private static String host() {
        String h = System.getenv("HOSTNAME");
        if (h != null && !h.isBlank()) {
            return h;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    /** Stops the loop and the webhook endpoint; launched runs keep running. Safe to call twice. */
    @Override
    public void close() {
        closed = true;
        wake();
        Thread t;
        synchronized (this) {
            t = loop;
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (webhook != null) {
            webhook.close();
        }
    }
}
