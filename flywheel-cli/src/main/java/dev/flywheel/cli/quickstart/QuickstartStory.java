package dev.flywheel.cli.quickstart;

import dev.flywheel.cli.render.Formats;
import dev.flywheel.cli.render.TextTable;
import dev.flywheel.cd.GateDecision;
import dev.flywheel.deploy.rollout.CheckResult;
import dev.flywheel.deploy.rollout.RolloutRecord;
import dev.flywheel.deploy.rollout.RolloutState;
import dev.flywheel.deploy.rollout.StepDecision;
import dev.flywheel.deploy.service.Service;
import dev.flywheel.examples.demand.Dataset;
import dev.flywheel.examples.demand.DemandData;
import dev.flywheel.examples.demand.DemandPipelines;
import dev.flywheel.examples.demand.MonthlyBatches;
import dev.flywheel.registry.ModelVersion;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.runtime.ProjectHome;
import dev.flywheel.schedule.trigger.DriftTrigger;
import dev.flywheel.monitor.ColumnDrift;
import dev.flywheel.runtime.MonitorReport;
import dev.flywheel.schedule.trigger.FolderState;
import dev.flywheel.schedule.trigger.FolderTrigger;
import dev.flywheel.schedule.trigger.ModelAlerts;
import dev.flywheel.schedule.trigger.ModelWatch;
import dev.flywheel.schedule.trigger.TriggerCheck;
import dev.flywheel.schedule.trigger.WatchState;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.LaunchReason;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.RunListener;
import dev.flywheel.sdk.RunOptions;
import dev.flywheel.sdk.RunResult;
import dev.flywheel.sdk.data.Table;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The quickstart: the whole continuous training and deployment loop on this machine. Monthly batches of demand data
 * land in a watched folder; the data trigger starts the pipeline (load, validate, train XGBoost, evaluate, gate,
 * deploy) for each; the gate deploys a new version only if it beats production on the same fresh data, and the
 * prediction server swaps it in while live requests keep flowing; one batch is corrupted on purpose and validation
 * stops its run without touching production.
 */
public final class QuickstartStory {
    public static final String PIPELINE = "demand_cd";
    public static final String MODEL = "demand";
    /** A ceiling no honest model of the generated data comes near: the gate's comparison with production decides. */
    private static final double MAX_RMSE = 250;
    private static final double MARGIN = 0.5;
    private static final Duration BETWEEN_BATCHES = Duration.ofMillis(1500);
    /** The heat wave of the drift chapter: how far each temperature moves towards the hottest (1 = 41 degrees). */
    private static final double HEAT = 0.75;
    private static final Duration DRIFT_WINDOW = Duration.ofSeconds(4);
    private static final double DRIFT_SHARE = 0.2;
    /**
     * A teammate's quick experiment on one batch: a model this small is clearly worse than production on the same
     * data, and the gate keeps production serving. The rejection every user agrees with.
     */
    static final java.util.Map<String, String> QUICK_EXPERIMENT = java.util.Map.of("train_xgboost.rounds", "4", "train_xgboost.maxDepth", "1");
    /**
     * The retrained model of the drift chapter goes live as a canary: half the clients, then all, each step after one
     * passing analysis of its live traffic. Ten seconds is the shortest analysis interval a rollout takes, so the
     * canary adds about twenty seconds.
     */
    static final String CANARY = "{\"kind\": \"canary\", \"steps\": [50, 100], \"stepSeconds\": 0, \"analysisIntervalSeconds\": 10}";
    private static final Duration ANALYSIS_INTERVAL = Duration.ofSeconds(10);
    private static final Duration ROLLOUT_WAIT = Duration.ofSeconds(90);

    private final Path dir;
    private final int batches;
    private final long seed;
    private final Path data;
    private final PrintWriter out;

    /**
     * @param data a CSV to replay month by month instead of generated data ({@code dteday} column for the month,
     *             the bike-sharing layout), or null
     */
    public QuickstartStory(Path dir, int batches, long seed, Path data, PrintWriter out) {
        this.dir = dir;
        this.batches = batches;
        this.seed = seed;
        this.data = data;
        this.out = out;
    }

    /** What happened to one batch of data. */
    public record Outcome(String batch, String run, int version, double rmse, String decision, Instant deployedAt) {
    }

    /** The story's result, for the summary and for tests. */
    public record Result(List<Outcome> outcomes, long requestsOk, long requestsFailed, String serviceId, String predictionUrl,
                         int productionVersion) {
    }

    public Result run() {
        Path incoming = dir.resolve("data/incoming");
        Path rejected = dir.resolve("data/rejected");
        stopEarlierQuickstart();
        recreate();
        Dataset dataset = data == null ? Dataset.generatedDemand() : Dataset.bikeSharing();
        List<Table> months = months(dataset);
        int corrupted = months.size() >= 4 ? months.size() - 2 : -1;
        int experiment = corrupted - 2 >= 1 ? corrupted - 2 : -1;
        Pipeline pipeline = DemandPipelines.continuousTraining(PIPELINE, incoming.toString(), dataset, MODEL, data == null ? MAX_RMSE : 1e6, MARGIN);

        out.printf("Flywheel quickstart: continuous training and deployment of '%s' on this machine%n", MODEL);
        out.printf("  project  %s%n  data     %s (%d monthly batches, %s)%n%n", dir.resolve(ProjectHome.FOLDER), incoming, months.size(),
                data == null ? "generated with seasonal drift, seed " + seed : "replayed from " + data);
        List<Outcome> outcomes = new ArrayList<>();
        String serviceId = null;
        String url = null;
        LiveTraffic traffic = null;
        try (Flywheel flywheel = Flywheel.create(cfg -> cfg.home = dir.resolve(ProjectHome.FOLDER))) {
            FolderTrigger trigger = new FolderTrigger(FolderTrigger.Config.of(incoming, "batch-*.csv").debounce(Duration.ofMillis(200)),
                    Clock.systemUTC());
            FolderState consumed = new FolderState(java.util.Map.of());
            for (int m = 0; m < months.size(); m++) {
                if (traffic != null) {
                    java.util.concurrent.locks.LockSupport.parkNanos(BETWEEN_BATCHES.toNanos()); // a month of live traffic, compressed
                }
                Table month = months.get(m);
                Path file;
                if (m == corrupted) {
                    file = MonthlyBatches.write(fahrenheit(month), incoming, m + 1);
                    out.printf("%s arrives (corrupted on purpose: temperatures in Fahrenheit)%n", file.getFileName());
                } else {
                    file = MonthlyBatches.write(month, incoming, m + 1);
                    out.printf("%s arrives (%d rows)%n", file.getFileName(), month.rowCount());
                }
                RunOptions options = RunOptions.defaults();
                if (m == experiment) {
                    options = options.withParams(QUICK_EXPERIMENT);
                    out.printf("  a teammate tries a quick model on it: %s%n", experimentText());
                }
                TriggerCheck.Fire<FolderState> fire = awaitTrigger(trigger, consumed);
                consumed = fire.state();
                String files = fire.reason() instanceof LaunchReason.NewFiles nf ? String.join(",", nf.files()) : file.getFileName().toString();
                out.printf("  data trigger fired: %s%n", files);
                RunResult run = flywheel.run(pipeline, options.withTrigger("data:" + files), RunListener.NONE);
                Outcome outcome = describe(flywheel, run, file);
                outcomes.add(outcome);
                if (!run.succeeded() && run.step("validate_data").map(s -> s.error() != null).orElse(false)) {
                    move(file, rejected);
                    out.printf("  -> the bad batch is moved to %s; production is untouched%n", dir.relativize(rejected));
                    consumed = trigger.check(consumed).state();
                }
                if (url == null && outcome.deployedAt() != null) {
                    GateDecision d = flywheel.artifacts().load(run.artifactId("deploy_if_better", "decision"), GateDecision.class);
                    serviceId = d.serviceId();
                    url = d.predictionUrl();
                    out.printf("  -> prediction server is up: %s%n", url);
                    List<String> bodies = requestBodies(dataset, month);
                    writeExample(bodies.get(0));
                    traffic = new LiveTraffic(url, bodies, 3, 40);
                    out.println("  -> live traffic started: 3 clients, ~120 requests/s, all month long");
                }
            }
            if (traffic != null && data == null) {
                driftChapter(flywheel, pipeline, dataset, months.size(), incoming, traffic).ifPresent(outcomes::add);
            }

            if (traffic != null) {
                traffic.close();
            }
            int production = flywheel.models().production(MODEL).map(ModelVersion::version).orElse(0);
            Result result = new Result(outcomes, traffic == null ? 0 : traffic.succeeded(), traffic == null ? 0 : traffic.failed(),
                    serviceId, url, production);
            summary(result, traffic);
            return result;
        } finally {
            if (traffic != null) {
                traffic.close();
            }
        }
    }

    /**
     * The drift chapter: the clients' requests drift (a heat wave, hotter and drier than any hour the model was trained
     * on); the drift trigger reads the server's prediction log and fires, and the monitor report shows which inputs
     * drifted; the alert goes through the stack's alerter; the heat wave's hours arrive with their real demand (fewer
     * riders in the heat) in two halves, and the pipeline retrains on the first half and is scored on the second.
     * Production never saw an hour that hot and expects the usual crowds, so the retrained version wins on the same
     * fresh data and the gate deploys it: the outcome follows from the data, not from luck.
     */
    private java.util.Optional<Outcome> driftChapter(Flywheel flywheel, Pipeline pipeline, Dataset dataset, int index, Path incoming,
                                                     LiveTraffic traffic) {
        DriftTrigger trigger = new DriftTrigger(new DriftTrigger.Config(MODEL, DRIFT_WINDOW, DRIFT_SHARE, 200, Duration.ofHours(1),
                Duration.ofMillis(500)));
        ModelWatch watch = flywheel.modelWatch();
        Table heat = DemandData.heatWave(DemandData.month(index, seed), HEAT);
        out.println();
        out.println("A heat wave: the clients now ask about hours far hotter and drier than the model was trained on");
        traffic.switchTo(requestBodies(dataset, heat));
        out.printf("  drift trigger on %s: fires when %.0f%%+ of the inputs drift over the last %ds of logged requests%n", MODEL,
                DRIFT_SHARE * 100, DRIFT_WINDOW.toSeconds());
        WatchState state = WatchState.initial();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        TriggerCheck.Fire<WatchState> fire = null;
        while (fire == null && System.nanoTime() < deadline) {
            TriggerCheck<WatchState> check = trigger.check(watch, state, Instant.now());
            state = check.state();
            if (check instanceof TriggerCheck.Fire<WatchState> f) {
                fire = f;
            } else {
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
            }
        }
        if (fire == null) {
            out.printf("  the drift trigger did not fire within 60 s (last reading: %s)%n", state.last());
            return java.util.Optional.empty();
        }
        LaunchReason.ModelDrift drift = (LaunchReason.ModelDrift) fire.reason();
        out.printf("  drift trigger fired: %d of %d inputs drifted %s over %d logged requests%n", drift.driftedColumns(), drift.columns(),
                drift.drifted(), drift.rows());
        report(flywheel);
        dev.flywheel.sdk.alert.Alert alert = ModelAlerts.fired("quickstart-drift", PIPELINE, drift);
        dev.flywheel.sdk.alert.AlertDelivery delivery = flywheel.alerts().post(alert);
        out.printf("  -> alert \"%s\" %s%n", alert.title(), delivery.delivered() ? "sent through the stack's alerter (" + delivery.detail() + ")"
                : "NOT delivered: " + delivery.detail());
        int half = heat.rowCount() / 2;
        Path first = MonthlyBatches.write(heat.slice(0, half), incoming, index + 1);
        out.printf("%s arrives (the heat wave's first two weeks with their real demand, %d rows: fewer riders in the heat)%n",
                first.getFileName(), half);
        Path file = MonthlyBatches.write(heat.slice(half, heat.rowCount()), incoming, index + 2);
        out.printf("%s arrives (its last two weeks, %d rows)%n", file.getFileName(), heat.rowCount() - half);
        String text = alert.details().get("fire");
        out.printf("  retraining, launched by the drift trigger: %s%n", text);
        out.println("  (it trains on the latest batches, the heat wave's first two weeks included, and is scored on its last two)");
        out.println("  the gate's strategy for it: a canary (50% of the clients, then all), promoted only if live traffic agrees");
        RunResult run = flywheel.run(pipeline, RunOptions.defaults().withTrigger(text).withLaunch(drift, null)
                .withParams(java.util.Map.of("deploy_if_better.strategy", CANARY)), RunListener.NONE);
        Outcome outcome = describe(flywheel, run, file);
        if (outcome.deployedAt() != null) {
            GateDecision d = flywheel.artifacts().load(run.artifactId("deploy_if_better", "decision"), GateDecision.class);
            out.printf(Locale.ROOT, "  why: production v%d never saw an hour this hot and expects the usual crowds (rmse %.1f); v%d learned"
                    + " from the first two weeks that fewer people ride in the heat (rmse %.1f)%n", d.productionVersion(), d.productionValue(),
                    d.candidateVersion(), d.candidateValue());
        }
        return java.util.Optional.of(outcome);
    }

    /** What {@code flywheel monitor report} says of the logged requests the trigger read: the inputs that drifted. */
    private void report(Flywheel flywheel) {
        try {
            MonitorReport r = flywheel.monitoring().report(MODEL, DRIFT_WINDOW);
            out.printf("  monitor report %s (v%d, last %ds, %d requests): %d of %d inputs drifted%n", MODEL, r.version(),
                    DRIFT_WINDOW.toSeconds(), r.rows(), r.drift().dataset().driftedColumns(), r.drift().dataset().columns());
            for (ColumnDrift c : r.drift().columns()) {
                if (c.drifted() && c.method().hasPValue()) {
                    out.printf(Locale.ROOT, "    %-9s %s p-value %.3g < %.3g: drifted%n", c.column(), c.method().id(), c.pValue(), c.threshold());
                } else if (c.drifted()) {
                    out.printf(Locale.ROOT, "    %-9s %s %.3g >= %.3g: drifted%n", c.column(), c.method().id(), c.score(), c.threshold());
                }
            }
        } catch (FlywheelException e) {
            out.printf("  monitor report %s: %s%n", MODEL, e.getMessage());
        }
    }

    /** Prints a rollout's decisions as the service's supervisor takes them, until it ends (or aborts it after a while). */
    private RolloutRecord follow(Flywheel flywheel, String id) {
        long deadline = System.nanoTime() + ROLLOUT_WAIT.toNanos();
        int printed = 0;
        RolloutRecord r = flywheel.rollouts().status(id);
        while (true) {
            for (StepDecision d : r.decisions()) {
                if (d.seq() > printed) {
                    printed = d.seq();
                    String checks = d.checks().stream().map(CheckResult::describe).collect(java.util.stream.Collectors.joining("; "));
                    out.printf("     %s at %d%%%s%n", d.action(), d.weight(), checks.isEmpty() ? "" : ": " + checks);
                }
            }
            if (!r.state().active()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                r = flywheel.rollouts().abort(id);
                out.printf("  the rollout did not end within %d s; aborted%n", ROLLOUT_WAIT.toSeconds());
                break;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
            r = flywheel.rollouts().status(id);
        }
        out.printf("  -> rollout %s %s: %s%n", Formats.shortId(id), r.state().label().toUpperCase(Locale.ROOT), r.reason());
        return r;
    }

    private Outcome describe(Flywheel flywheel, RunResult run, Path file) {
        String batch = file.getFileName().toString();
        String id = Formats.shortId(run.runId());
        if (!run.succeeded()) {
            String reason = run.error() == null ? "failed" : run.error();
            String shortReason = reason.contains("Invalid data") ? reason.substring(reason.indexOf("Invalid data")) : reason;
            out.printf("  run %s STOPPED by validation: %s%n", id, shortReason);
            java.util.regex.Matcher column = java.util.regex.Pattern.compile("column '([^']+)'").matcher(shortReason);
            return new Outcome(batch, id, 0, Double.NaN, "stopped by validation" + (column.find() ? " (bad '" + column.group(1) + "')" : ""), null);
        }
        GateDecision d = flywheel.artifacts().load(run.artifactId("deploy_if_better", "decision"), GateDecision.class);
        String versus = d.productionVersion() > 0
                ? String.format(Locale.ROOT, " vs production v%d rmse %.1f on the same fresh data", d.productionVersion(), d.productionValue())
                : " (nothing in production yet)";
        out.printf("  run %s: trained v%d, rmse %.1f%s%n", id, d.candidateVersion(), d.candidateValue(), versus);
        if (d.accepted() && d.rolloutId() != null) {
            out.printf("  -> CANARY v%d beside v%d: rollout %s, analysed on live traffic every %d s%n", d.candidateVersion(), d.productionVersion(),
                    Formats.shortId(d.rolloutId()), ANALYSIS_INTERVAL.toSeconds());
            RolloutRecord end = follow(flywheel, d.rolloutId());
            boolean promoted = end.state() == RolloutState.PROMOTED;
            return new Outcome(batch, id, d.candidateVersion(), d.candidateValue(), "canary " + end.state().label(), promoted ? Instant.now() : null);
        }
        if (d.accepted()) {
            out.printf("  -> DEPLOYED v%d (%s)%n", d.candidateVersion(), d.productionVersion() > 0 ? "hot-swapped while serving" : "new prediction server");
            return new Outcome(batch, id, d.candidateVersion(), d.candidateValue(), "deployed", Instant.now());
        }
        String why;
        if (d.candidateValue() > d.threshold()) {
            out.printf(Locale.ROOT, "  -> REJECTED v%d: rmse %.1f is above the limit %.0f; %s%n", d.candidateVersion(), d.candidateValue(),
                    d.threshold(), d.productionVersion() > 0 ? "the gate keeps v" + d.productionVersion() + " serving" : "nothing is deployed");
            why = String.format(Locale.ROOT, "rejected: rmse above the limit %.0f", d.threshold());
        } else if (d.candidateValue() >= d.productionValue()) {
            out.printf(Locale.ROOT, "  -> REJECTED v%d: worse than production v%d on the same fresh data (rmse %.1f vs %.1f); "
                    + "the gate keeps v%d serving%n", d.candidateVersion(), d.productionVersion(), d.candidateValue(), d.productionValue(),
                    d.productionVersion());
            why = String.format(Locale.ROOT, "rejected: worse than v%d on the same data", d.productionVersion());
        } else {
            out.printf(Locale.ROOT, "  -> REJECTED v%d: better than production v%d by only %.1f (rmse %.1f vs %.1f), under the margin %.1f; "
                    + "the gate keeps v%d serving%n", d.candidateVersion(), d.productionVersion(), d.productionValue() - d.candidateValue(),
                    d.candidateValue(), d.productionValue(), d.minImprovement(), d.productionVersion());
            why = String.format(Locale.ROOT, "rejected: not better than v%d by %.1f", d.productionVersion(), d.minImprovement());
        }
        return new Outcome(batch, id, d.candidateVersion(), d.candidateValue(), why, null);
    }

    private void summary(Result result, LiveTraffic traffic) {
        out.println();
        TextTable t = new TextTable("BATCH", "RUN", "VERSION", "RMSE", "DECISION", "DEPLOYED AT");
        for (Outcome o : result.outcomes()) {
            t.row(o.batch(), o.run(), o.version() == 0 ? "-" : "v" + o.version(), Double.isNaN(o.rmse()) ? "-" : String.format(Locale.ROOT, "%.1f", o.rmse()),
                    o.decision(), o.deployedAt() == null ? "-" : Formats.time(o.deployedAt()));
        }
        t.print(out);
        out.println();
        out.printf("In production: %s v%d, served at %s%n", MODEL, result.productionVersion(), result.predictionUrl());
        out.printf("Live requests: %d answered, %d failed%s%n", result.requestsOk(), result.requestsFailed(),
                traffic == null ? "" : " (answers by version: " + traffic.answersByVersion() + ")");
        if (result.requestsFailed() > 0 && traffic != null) {
            out.printf("  last failure: %s%n", traffic.lastFailure());
        }
        out.println();
        String flywheel = launcher();
        out.println("Explore:");
        out.printf("  cd %s%n", dir);
        out.printf("  %s served-models list          # the prediction server, its status and URL%n", flywheel);
        out.printf("  %s models versions %s        # every version, its metrics and stage%n", flywheel, MODEL);
        out.printf("  %s runs list                   # every run and why it started%n", flywheel);
        out.printf("  curl -s %s -H 'Content-Type: application/json' -d @request.json%n", result.predictionUrl());
        out.println("Stop the prediction server:");
        out.printf("  %s served-models delete %s -y%n", flywheel, result.serviceId() == null ? "UUID" : Formats.shortId(result.serviceId()));
        out.flush();
    }

    private static String experimentText() {
        return new java.util.TreeMap<>(QUICK_EXPERIMENT).entrySet().stream().map(e -> "-p " + e.getKey() + "=" + e.getValue())
                .collect(java.util.stream.Collectors.joining(" "));
    }

    /** How the user started Flywheel: the checkout's launcher when it set FLYWHEEL_LAUNCHER, else {@code flywheel}. */
    private static String launcher() {
        String l = System.getenv("FLYWHEEL_LAUNCHER");
        return l == null || l.isBlank() ? "flywheel" : l;
    }

    private TriggerCheck.Fire<FolderState> awaitTrigger(FolderTrigger trigger, FolderState consumed) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            TriggerCheck<FolderState> check = trigger.check(consumed);
            if (check instanceof TriggerCheck.Fire<FolderState> fire) {
                return fire;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        throw new FlywheelException(ErrorCode.INTERNAL, "The folder trigger did not fire within 30 s for new files in " + dir);
    }

    private List<Table> months(Dataset dataset) {
        if (data == null) {
            List<Table> months = new ArrayList<>();
            for (int m = 0; m < batches; m++) {
                months.add(DemandData.month(m, seed));
            }
            return months;
        }
        if (!Files.isRegularFile(data)) {
            throw FlywheelException.invalid("--data " + data + " is not a file; give a CSV such as ../shared/data/bike-sharing/hour.csv");
        }
        List<Table> all = MonthlyBatches.split(Table.readCsv(data), "dteday");
        return all.subList(0, Math.min(batches, all.size()));
    }

    private static Table fahrenheit(Table month) {
        double[] celsiusShare = month.doubles("temp");
        double[] f = new double[celsiusShare.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = Math.round((celsiusShare[i] * 41 * 9 / 5 + 32) * 10) / 10.0;
        }
        return month.withColumn("temp", new dev.flywheel.sdk.data.DoubleColumn(f));
    }

    private static List<String> requestBodies(Dataset dataset, Table month) {
        List<String> bodies = new ArrayList<>();
        int step = Math.max(1, month.rowCount() / 50);
        for (int r = 0; r < month.rowCount(); r += step) {
            StringBuilder b = new StringBuilder("{\"inputs\":[");
            for (int f = 0; f < dataset.features().size(); f++) {
                String name = dataset.features().get(f);
                if (f > 0) {
                    b.append(',');
                }
                b.append("{\"name\":\"").append(name).append("\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[")
                        .append(month.doubles(name)[r]).append("]}");
            }
            bodies.add(b.append("]}").toString());
        }
        return bodies;
    }

    /** A quickstart run earlier may still serve: stop its servers before its folder is replaced. */
    private void stopEarlierQuickstart() {
        Path home = dir.resolve(ProjectHome.FOLDER);
        if (!Files.isDirectory(home)) {
            return;
        }
        try (Flywheel earlier = Flywheel.create(cfg -> {
            cfg.home = home;
            cfg.createIfMissing = false;
        })) {
            for (Service s : earlier.deployments().list(null, null, null, false)) {
                earlier.deployments().delete(s.record().uuid(), Duration.ofSeconds(30), true);
                out.printf("(stopped the prediction server of an earlier quickstart: %s)%n", Formats.shortId(s.record().uuid().toString()));
            }
        } catch (FlywheelException e) {
            out.printf("(could not stop the servers of the earlier quickstart in %s: %s)%n", home, e.getMessage());
        }
    }

    private void recreate() {
        try {
            if (Files.exists(dir)) {
                if (!Files.exists(dir.resolve(ProjectHome.FOLDER)) && !Files.exists(dir.resolve("data"))) {
                    throw FlywheelException.invalid("Folder " + dir + " exists and is not a quickstart folder; choose another one with --dir");
                }
                try (Stream<Path> paths = Files.walk(dir)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(dir.resolve("data/incoming"));
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot create " + dir + ": " + e.getMessage());
        }
    }

    private void writeExample(String body) {
        try {
            Files.writeString(dir.resolve("request.json"), body);
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot write " + dir.resolve("request.json") + ": " + e.getMessage());
        }
    }

    private static void move(Path file, Path folder) {
        try {
            Files.createDirectories(folder);
            Files.move(file, folder.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot move " + file + " to " + folder + ": " + e.getMessage());
        }
    }
}
