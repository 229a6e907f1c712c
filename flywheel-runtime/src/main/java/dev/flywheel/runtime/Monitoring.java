package dev.flywheel.runtime;

import dev.flywheel.monitor.ColumnProfile;
import dev.flywheel.monitor.DriftConfig;
import dev.flywheel.monitor.DriftEngine;
import dev.flywheel.monitor.DriftReport;
import dev.flywheel.monitor.NumericProfile;
import dev.flywheel.monitor.ReferenceProfile;
import dev.flywheel.predictionlog.LoggedRows;
import dev.flywheel.predictionlog.PredictionLogReader;
import dev.flywheel.registry.DataArtifact;
import dev.flywheel.registry.Lineage;
import dev.flywheel.registry.ModelRef;
import dev.flywheel.registry.ModelRegistry;
import dev.flywheel.registry.ModelVersion;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.data.DoubleColumn;
import dev.flywheel.sdk.data.Table;
import dev.flywheel.store.artifact.ArtifactStore;
import dev.flywheel.store.artifact.StoredBlob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The monitoring facade: reference profiles kept with model versions, and drift of what served versions were asked
 * (read from the prediction logs) against them.
 *
 * <p>A version's profile is a JSON blob in the artifact store, named by the version's tag {@value #PROFILE_TAG}
 * (its location) and {@value #PROFILE_SHA_TAG}; the registry's own API sets and reads the tags.
 */
public final class Monitoring {
    public static final String PROFILE_TAG = "flywheel.reference_profile";
    public static final String PROFILE_SHA_TAG = "flywheel.reference_profile_sha256";
    private static final Logger log = LoggerFactory.getLogger(Monitoring.class);
    private static final Duration STATUS_WINDOW = Duration.ofHours(24);

    private final ModelRegistry models;
    private final ArtifactStore store;
    private final Function<String, Object> loadArtifact;
    private final PredictionLogReader logs;
    private final GroundTruth labels;
    private final LabelTables labelTables;
    private final Clock clock;

    Monitoring(ModelRegistry models, ArtifactStore store, Function<String, Object> loadArtifact, Path logDir,
               dev.flywheel.sdk.flavor.References.Resolver passwords, Clock clock) {
        this.models = models;
        this.store = store;
        this.loadArtifact = loadArtifact;
        this.logs = new PredictionLogReader(logDir);
        this.labels = new GroundTruth(logDir.resolveSibling("labels"));
        this.labelTables = new LabelTables(labels, passwords, clock);
        this.clock = clock;
    }

    /**
     * Checks {@code model} is registered.
     *
     * @throws FlywheelException NOT_FOUND naming the model
     */
    public void requireModel(String model) {
        models.describe(model);
    }

    // ---------------------------------------------------------------- ground truth and live performance

    /**
     * Keeps the labels in {@code csv} ({@code request_id,label}, or {@code request_id,row,label} for requests of several
     * rows) for {@code model}; they are matched with logged predictions when performance is asked for.
     *
     * @return how many labels were kept
     * @throws FlywheelException NOT_FOUND for an unknown model or a missing file; INVALID_ARGUMENT naming the line of a
     *                           bad one (nothing is kept then)
     */
    public int addLabels(String model, Path csv) {
        models.describe(model);
        return labels.add(model, csv);
    }

    /**
     * Reads the labels of {@code model} that landed in a database table since the last read ({@link LabelTable}: the
     * watermark is remembered per model and table) and keeps them. {@code pollEvery}: the scheduler daemon reads the
     * table again at that interval before it checks the model's performance triggers; zero stops that, null keeps
     * what was set.
     *
     * @throws FlywheelException NOT_FOUND for an unknown model, table or column (naming it and the columns there are),
     *                           INVALID_ARGUMENT for a value of the wrong type (naming column and request),
     *                           UNAVAILABLE when the database cannot be reached; nothing is kept then
     */
    public LabelImport importLabels(String model, LabelTable table, Duration pollEvery) {
        models.describe(model);
        return labelTables.read(model, table, pollEvery);
    }

    /** Reads the label tables of {@code model} whose poll interval has passed (see {@link #importLabels}); never throws for a table. */
    public List<LabelImport> pollLabelTables(String model) {
        return labelTables.pollDue(model);
    }

    /**
     * Metrics of the labelled predictions of {@code model} in the last {@code since}, per {@code window}, beside the
     * offline metrics of the newest version logged: rmse, mae and mape; with 0/1 labels and predictions in [0, 1] also
     * accuracy, precision, recall, f1 and roc_auc.
     */
    public LivePerformance performance(String model, Duration since, Duration window) {
        if (since == null || since.isNegative() || since.isZero()) {
            throw FlywheelException.invalid("--since must be a positive duration such as 24h or 7d, got " + since);
        }
        if (window == null || window.isNegative() || window.isZero() || window.compareTo(since) > 0) {
            throw FlywheelException.invalid("--window must be a positive duration no longer than --since (" + since + "), got " + window);
        }
        if (since.dividedBy(window) > 10_000) {
            throw FlywheelException.invalid("--since " + since + " holds more than 10,000 windows of " + window + "; use a longer --window");
        }
        models.describe(model);
        Instant to = clock.instant();
        Instant from = to.minus(since);
        PredictionLogReader.Window logged = read(model, from, to);
        Map<GroundTruth.Key, Double> truth = labels.read(model);
        int newest = logged.parts().stream().mapToInt(r -> r.schema().version()).max().orElse(0);
        Map<String, Double> offline = newest == 0 ? Map.of() : models.get(ModelRef.version(model, newest)).metrics();
        int windows = (int) Math.max(1, since.dividedBy(window));
        List<List<double[]>> pairs = new ArrayList<>();
        List<Map<Integer, Long>> versions = new ArrayList<>();
        for (int i = 0; i < windows; i++) {
            pairs.add(new ArrayList<>());
            versions.add(new TreeMap<>());
        }
        long fromMicros = from.getEpochSecond() * 1_000_000L + from.getNano() / 1_000;
        long windowMicros = window.toNanos() / 1_000;
        for (LoggedRows r : logged.parts()) {
            for (int i = 0; i < r.size(); i++) {
                Double y = truth.get(new GroundTruth.Key(r.requestIds()[i], r.rowInRequest()[i]));
                if (y == null) {
                    continue;
                }
                int w = (int) Math.min(windows - 1, (r.timesMicros()[i] - fromMicros) / windowMicros);
                pairs.get(w).add(new double[]{y, r.outputs()[0][i]});
                versions.get(w).merge(r.schema().version(), 1L, Long::sum);
            }
        }
        List<LivePerformance.Window> out = new ArrayList<>();
        for (int w = 0; w < windows; w++) {
            if (pairs.get(w).isEmpty()) {
                continue;
            }
            Instant start = from.plus(window.multipliedBy(w));
            int version = versions.get(w).entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            out.add(new LivePerformance.Window(start, w == windows - 1 ? to : start.plus(window), version, pairs.get(w).size(),
                    metrics(pairs.get(w))));
        }
        return new LivePerformance(model, newest, from, to, offline, out);
    }

    private static Map<String, Double> metrics(List<double[]> pairs) {
        double[] y = new double[pairs.size()];
        float[] p = new float[pairs.size()];
        boolean binary = true;
        for (int i = 0; i < y.length; i++) {
            y[i] = pairs.get(i)[0];
            p[i] = (float) pairs.get(i)[1];
            binary &= (y[i] == 0 || y[i] == 1) && p[i] >= 0 && p[i] <= 1;
        }
        dev.flywheel.formats.Predictions predictions = new dev.flywheel.formats.Predictions(y.length, 1, p);
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        List<dev.flywheel.cd.metric.Metric> wanted = new ArrayList<>(List.of(dev.flywheel.cd.metric.RegressionMetric.values()));
        if (binary) {
            wanted.addAll(List.of(dev.flywheel.cd.metric.ClassificationMetric.ACCURACY, dev.flywheel.cd.metric.ClassificationMetric.PRECISION,
                    dev.flywheel.cd.metric.ClassificationMetric.RECALL, dev.flywheel.cd.metric.ClassificationMetric.F1,
                    dev.flywheel.cd.metric.ClassificationMetric.ROC_AUC));
        }
        for (dev.flywheel.cd.metric.Metric m : wanted) {
            try {
                double v = m.compute(y, predictions, 0.5);
                if (Double.isFinite(v)) {
                    out.put(m.metricName(), v);
                }
            } catch (FlywheelException e) {
                // a metric the labels do not suit (one class only, a zero label for mape) is left out
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- reference profiles

    /**
     * Profiles the training data of a version a pipeline step registered and stores the profile with it: the table
     * among the step's upstream data (nearest first, then largest) that holds every input the model takes. A version
     * without such a table (imported, or trained from other types) gets none; a failure is logged, never thrown, as the
     * model itself is registered already.
     *
     * @return the profile's location, when one was stored
     */
    public Optional<URI> recordReferenceProfile(ModelVersion version) {
        try {
            if (!(version.lineage() instanceof Lineage.FromRun run)) {
                return Optional.empty();
            }
            List<String> inputs = version.signature().inputNames();
            Table training = trainingTable(run, inputs).orElse(null);
            if (training == null) {
                log.info("model={} version={}: no upstream table holds its inputs {}; no reference profile", version.model(),
                        version.version(), inputs);
                return Optional.empty();
            }
            ReferenceProfile profile = ReferenceProfile.of(training.select(inputs));
            return Optional.of(storeProfile(version.model(), version.version(), profile));
        } catch (RuntimeException e) {
            log.warn("model={} version={}: the reference profile could not be made: {}", version.model(), version.version(),
                    e.toString());
            return Optional.empty();
        }
    }

    /** Stores {@code profile} as the reference of a version (replacing an earlier one). */
    public URI storeProfile(String model, int version, ReferenceProfile profile) {
        byte[] json = profile.toJson().getBytes(StandardCharsets.UTF_8);
        StoredBlob blob = store.write(out -> out.write(json));
        models.setVersionTag(model, version, PROFILE_TAG, blob.uri().toString());
        models.setVersionTag(model, version, PROFILE_SHA_TAG, blob.sha256());
        return blob.uri();
    }

    private Optional<Table> trainingTable(Lineage.FromRun run, List<String> inputs) {
        List<DataArtifact> candidates = run.data().stream()
                .filter(a -> a.type() != null && a.type().endsWith("Table"))
                .sorted(Comparator.comparingInt(DataArtifact::depth).thenComparing(Comparator.comparingLong(DataArtifact::size).reversed()))
                .toList();
        for (DataArtifact a : candidates) {
            Object value = loadArtifact.apply(a.artifactId());
            if (value instanceof Table t && inputs.stream().allMatch(t::hasColumn) && t.rowCount() > 0) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The reference profile stored with a version, if any. */
    public Optional<ReferenceProfile> referenceProfile(String model, int version) {
        ModelVersion v = models.get(ModelRef.version(model, version));
        String location = v.tags().get(PROFILE_TAG);
        if (location == null) {
            return Optional.empty();
        }
        URI uri = URI.create(location);
        String sha = v.tags().get(PROFILE_SHA_TAG);
        if (sha != null) {
            store.requireIntact(uri, sha, "the reference profile of model '" + model + "' version " + version);
        }
        try (InputStream in = store.open(uri)) {
            return Optional.of(ReferenceProfile.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- drift of logged predictions

    /**
     * Drift of the newest version logged for {@code model} in the last {@code since}, feature by feature, against its
     * reference profile.
     *
     * @throws FlywheelException INVALID_ARGUMENT for a window that is not positive; NOT_FOUND when nothing was logged
     *                           for the model in the window, or its version has no reference profile
     */
    public MonitorReport report(String model, Duration since) {
        if (since == null || since.isNegative() || since.isZero()) {
            throw FlywheelException.invalid("--since must be a positive duration such as 6h, 24h or 7d, got " + since);
        }
        Instant to = clock.instant();
        Instant from = to.minus(since);
        PredictionLogReader.Window window = read(model, from, to);
        Map<Integer, Long> byVersion = new TreeMap<>();
        for (LoggedRows r : window.parts()) {
            byVersion.merge(r.schema().version(), (long) r.size(), Long::sum);
        }
        if (byVersion.isEmpty()) {
            models.describe(model); // NOT_FOUND for a model that does not exist
            throw FlywheelException.notFound("No predictions of model '" + model + "' were logged between " + from + " and " + to
                    + "; deploy it (flywheel models deploy " + model + ") and send it requests, or widen the window with --since 7d");
        }
        int version = byVersion.keySet().stream().max(Integer::compare).orElseThrow();
        ReferenceProfile profile = referenceProfile(model, version).orElseThrow(() -> FlywheelException.notFound(
                "Model '" + model + "' version " + version + " has no reference profile: it was not trained by a pipeline step "
                        + "from a table holding its inputs (imported models have none)"));
        Table current = currentTable(window.parts(), version, profile);
        if (current.columnCount() == 0) {
            throw FlywheelException.invalid("None of the reference profile's columns " + profile.columnNames()
                    + " are among the logged inputs of model '" + model + "' version " + version);
        }
        DriftReport drift = DriftEngine.create(DriftConfig.defaults().withColumns(current.columnNames())).compare(profile, current);
        List<MonitorReport.FeatureHistogram> histograms = new ArrayList<>();
        for (String name : current.columnNames()) {
            ColumnProfile c = profile.column(name);
            if (c instanceof NumericProfile n && n.histogram() != null && n.histogram().edges().length >= 2) {
                histograms.add(histogram(name, n.histogram(), current.doubles(name)));
            }
        }
        return new MonitorReport(model, version, from, to, byVersion.get(version), byVersion, window.droppedRequests(), drift,
                histograms);
    }

    /** Each model's state over the last 24 hours; {@code model} null for every model with logs. */
    public List<MonitorStatus> status(String model) {
        List<String> names;
        if (model != null) {
            models.describe(model);
            names = List.of(model);
        } else {
            try {
                names = logs.models();
            } catch (IOException e) {
                throw new FlywheelException(ErrorCode.UNAVAILABLE, "cannot list the prediction logs: " + e.getMessage(), e);
            }
        }
        List<MonitorStatus> out = new ArrayList<>();
        Instant to = clock.instant();
        for (String name : names) {
            PredictionLogReader.Window w = read(name, to.minus(STATUS_WINDOW), to);
            int version = w.parts().stream().mapToInt(r -> r.schema().version()).max().orElse(0);
            long rows = w.rows();
            Instant last = w.parts().stream().flatMapToLong(r -> java.util.Arrays.stream(r.timesMicros())).max()
                    .stream().mapToObj(us -> Instant.ofEpochSecond(us / 1_000_000, (us % 1_000_000) * 1_000)).findFirst().orElse(null);
            if (version == 0) {
                out.add(new MonitorStatus(name, 0, 0, null, w.droppedRequests(), false, null, null, null,
                        "no predictions logged in the last 24 hours"));
                continue;
            }
            boolean hasReference = models.get(ModelRef.version(name, version)).tags().containsKey(PROFILE_TAG);
            try {
                MonitorReport r = report(name, STATUS_WINDOW);
                out.add(new MonitorStatus(name, version, rows, last, w.droppedRequests(), hasReference,
                        r.drift().dataset().driftedColumns(), r.drift().dataset().columns(), r.drift().dataset().drifted(), null));
            } catch (FlywheelException e) {
                out.add(new MonitorStatus(name, version, rows, last, w.droppedRequests(), hasReference, null, null, null, e.getMessage()));
            }
        }
        return out;
    }

    private PredictionLogReader.Window read(String model, Instant from, Instant to) {
        try {
            PredictionLogReader.Window w = logs.read(model, from, to);
            for (String problem : w.problems()) {
                log.warn("prediction log: {}", problem);
            }
            return w;
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "cannot read the prediction logs of model '" + model + "': "
                    + e.getMessage(), e);
        }
    }

    /** The logged inputs of {@code version} that the profile has, as one table. */
    private static Table currentTable(List<LoggedRows> parts, int version, ReferenceProfile profile) {
        List<LoggedRows> mine = parts.stream().filter(r -> r.schema().version() == version).toList();
        List<String> inputs = mine.get(0).schema().inputs();
        List<String> names = new ArrayList<>();
        List<DoubleColumn> columns = new ArrayList<>();
        int rows = mine.stream().mapToInt(LoggedRows::size).sum();
        for (String name : profile.columnNames()) {
            int c = inputs.indexOf(name);
            if (c < 0) {
                continue;
            }
            double[] values = new double[rows];
            int i = 0;
            for (LoggedRows r : mine) {
                int k = r.schema().inputs().indexOf(name);
                for (float v : r.inputs()[k]) {
                    values[i++] = v;
                }
            }
            names.add(name);
            columns.add(new DoubleColumn(values));
        }
        return Table.of(names, columns);
    }

    private static MonitorReport.FeatureHistogram histogram(String name, NumericProfile.Histogram h, double[] values) {
        double[] edges = h.edges();
        long[] current = new long[edges.length - 1];
        for (double v : values) {
            if (Double.isNaN(v)) {
                continue;
            }
            int bin = java.util.Arrays.binarySearch(edges, v);
            bin = bin >= 0 ? bin : -bin - 2;
            current[Math.max(0, Math.min(current.length - 1, bin))]++;
        }
        return new MonitorReport.FeatureHistogram(name, edges, h.counts(), current);
    }
}
