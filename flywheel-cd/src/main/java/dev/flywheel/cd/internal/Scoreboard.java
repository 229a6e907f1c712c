package dev.flywheel.cd.internal;

import dev.flywheel.cd.Condition;
import dev.flywheel.cd.metric.Metric;
import dev.flywheel.cd.spi.Contender;
import dev.flywheel.cd.spi.GateContext;
import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.Predictions;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.StepContext;
import dev.flywheel.sdk.data.Table;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The gate's {@link GateContext}: both sides' predictions on the evaluation data are made once, and every value is
 * computed once, whoever asks for it.
 */
public final class Scoreboard implements GateContext {
    private static final int LATENCY_SAMPLES = 200;
    private static final int LATENCY_WARMUP = 50;

    private final String model;
    private final Contender challenger;
    private final Contender baseline;
    private final Table evaluation;
    private final String labelColumn;
    private final double decisionThreshold;
    private final StepContext step;
    private final Map<String, Double> values = new HashMap<>();
    private final Map<Integer, Predictions> predictions = new HashMap<>();

    public Scoreboard(String model, Contender challenger, Contender baseline, Table evaluation, String labelColumn, double decisionThreshold,
                      StepContext step) {
        this.model = model;
        this.challenger = challenger;
        this.baseline = baseline;
        this.evaluation = evaluation;
        this.labelColumn = labelColumn;
        this.decisionThreshold = decisionThreshold;
        this.step = step;
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public Contender challenger() {
        return challenger;
    }

    @Override
    public Optional<Contender> baseline() {
        return Optional.ofNullable(baseline);
    }

    @Override
    public Table evaluation() {
        return evaluation;
    }

    @Override
    public String labelColumn() {
        return labelColumn;
    }

    @Override
    public StepContext step() {
        return step;
    }

    /** Where a metric's values come from, for the decision. */
    public String source(String metric) {
        if (Metric.named(metric).isPresent()) {
            return "computed on " + evaluation.rowCount() + " rows";
        }
        return Condition.measuredMetric(metric) ? "measured" : "recorded in the registry";
    }

    @Override
    public synchronized double value(String metric, Contender side) {
        String key = side.version() + "\u0000" + metric;
        Double known = values.get(key);
        if (known != null) {
            return known;
        }
        double v = compute(metric, side);
        values.put(key, v);
        return v;
    }

    private double compute(String metric, Contender side) {
        Optional<Metric> builtIn = Metric.named(metric);
        if (builtIn.isPresent()) {
            return builtIn.get().compute(labels(), predict(side), decisionThreshold);
        }
        return switch (metric) {
            case Condition.MODEL_SIZE -> side.fileBytes();
            case Condition.LATENCY_P50 -> latency(side.model(), 0.50);
            case Condition.LATENCY_P95 -> latency(side.model(), 0.95);
            default -> {
                Double recorded = side.recordedMetrics().get(metric);
                if (recorded == null) {
                    throw FlywheelException.invalid("The gate's metric '" + metric + "' is not a built-in metric " + Metric.names()
                            + ", not measured (" + Condition.LATENCY_P50 + ", " + Condition.LATENCY_P95 + ", " + Condition.MODEL_SIZE
                            + "), and " + side.role() + " (version " + side.version() + ") has no such metric recorded in the registry; it has "
                            + side.recordedMetrics().keySet());
                }
                yield recorded;
            }
        };
    }

    private double[] labels() {
        if (labelColumn == null || !evaluation.hasColumn(labelColumn)) {
            throw FlywheelException.invalid("The evaluation data has no label column '" + labelColumn + "'; set the gate's labelColumn to one of "
                    + evaluation.columnNames());
        }
        return evaluation.doubles(labelColumn);
    }

    private Predictions predict(Contender side) {
        return predictions.computeIfAbsent(side.version(), v -> side.model().predict(batch(side.model(), 0, evaluation.rowCount())));
    }

    private FeatureBatch batch(LoadedModel m, int from, int rows) {
        List<String> features = m.signature().inputNames();
        for (String f : features) {
            if (!evaluation.hasColumn(f)) {
                throw FlywheelException.invalid("The evaluation data has no column '" + f + "' that model '" + model + "' needs; it has "
                        + evaluation.columnNames());
            }
        }
        if (evaluation.rowCount() == 0) {
            throw FlywheelException.invalid("The evaluation data is empty; the gate needs rows to compare versions on");
        }
        Table rowsTable = from == 0 && rows == evaluation.rowCount() ? evaluation : evaluation.slice(from, from + rows);
        return new FeatureBatch(rows, features.size(), rowsTable.toRowMajorFloats(features));
    }

    /** Milliseconds per one-row prediction at the given quantile, after a warm-up. */
    private double latency(LoadedModel m, double quantile) {
        int rows = evaluation.rowCount();
        FeatureBatch[] singles = new FeatureBatch[Math.min(rows, LATENCY_SAMPLES)];
        for (int i = 0; i < singles.length; i++) {
            singles[i] = batch(m, i, 1);
        }
        for (int i = 0; i < LATENCY_WARMUP; i++) {
            m.predict(singles[i % singles.length]);
        }
        long[] nanos = new long[LATENCY_SAMPLES];
        for (int i = 0; i < nanos.length; i++) {
            long t = System.nanoTime();
            m.predict(singles[i % singles.length]);
            nanos[i] = System.nanoTime() - t;
        }
        Arrays.sort(nanos);
        return nanos[(int) Math.min(nanos.length - 1, Math.ceil(quantile * nanos.length) - 1)] / 1e6;
    }
}
