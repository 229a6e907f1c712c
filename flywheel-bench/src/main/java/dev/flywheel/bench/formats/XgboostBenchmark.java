package dev.flywheel.bench.formats;

import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.ModelFormat;
import dev.flywheel.formats.ModelFormats;
import dev.flywheel.formats.Predictions;
import dev.flywheel.formats.xgboost.XgboostFormat;
import dev.flywheel.formats.xgboost.XgboostPredictor;
import dev.flywheel.formats.xgboost.internal.BoosterModel;
import dev.flywheel.formats.xgboost.internal.TreeEnsembleModel;
import dev.flywheel.sdk.model.Model;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * XGBoost through {@code ModelFormats}: load a model version from a file, predict 1 and 100 rows with the
 * default pure-Java tree evaluator, and the same through XGBoost4J ({@code *Native}, the
 * {@code flywheel.xgboost.predictor=native} path) for comparison. The {@code *Dmatrix} variants are the road not taken ({@code Booster.predict(DMatrix)}, synchronized per
 * booster); {@code @Threads(2)} variants show whether one shared model scales across request threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class XgboostBenchmark {
    private ModelFormat format;
    private Path file;
    private LoadedModel model;
    private XgboostFormat nativeFormat;
    private LoadedModel nativeModel;
    private Booster booster;
    private FeatureBatch oneRow;
    private FeatureBatch hundredRows;

    @Setup(Level.Trial)
    public void trainAndLoad() throws IOException, XGBoostError {
        BenchModels.Data data = BenchModels.bikeSharing();
        Model trained = BenchModels.xgboost(data);
        file = Files.createTempFile("bench-xgboost", ".ubj");
        Files.write(file, trained.content());
        format = ModelFormats.load().get("xgboost");
        model = format.load(file, BenchModels.SIGNATURE);
        nativeFormat = new XgboostFormat(XgboostPredictor.NATIVE);
        nativeModel = nativeFormat.load(file, BenchModels.SIGNATURE);
        if (!(model instanceof TreeEnsembleModel) || !(nativeModel instanceof BoosterModel)) {
            throw new IllegalStateException("expected the Java and native predictors, got " + model + " and " + nativeModel);
        }
        booster = XGBoost.loadModel(trained.content());
        booster.setParam("nthread", 1);
        oneRow = data.head(1);
        hundredRows = data.head(100);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        model.close();
        nativeModel.close();
        booster.dispose();
        Files.deleteIfExists(file);
    }

    @Benchmark
    public int loadFromFile() {
        try (LoadedModel loaded = format.load(file, BenchModels.SIGNATURE)) {
            return loaded.outputWidth();
        }
    }

    @Benchmark
    public int loadFromFileNative() {
        try (LoadedModel loaded = nativeFormat.load(file, BenchModels.SIGNATURE)) {
            return loaded.outputWidth();
        }
    }

    @Benchmark
    public Predictions predictOneRowNative() {
        return nativeModel.predict(oneRow);
    }

    @Benchmark
    public Predictions predictHundredRowsNative() {
        return nativeModel.predict(hundredRows);
    }

    @Benchmark
    @Threads(2)
    public Predictions predictOneRowTwoThreadsNative() {
        return nativeModel.predict(oneRow);
    }

    @Benchmark
    public Predictions predictOneRow() {
        return model.predict(oneRow);
    }

    @Benchmark
    public Predictions predictHundredRows() {
        return model.predict(hundredRows);
    }

    @Benchmark
    @Threads(2)
    public Predictions predictOneRowTwoThreads() {
        return model.predict(oneRow);
    }

    @Benchmark
    @Threads(2)
    public Predictions predictHundredRowsTwoThreads() {
        return model.predict(hundredRows);
    }

    @Benchmark
    public float[][] predictHundredRowsDmatrix() throws XGBoostError {
        return predictWithDmatrix(hundredRows);
    }

    @Benchmark
    @Threads(2)
    public float[][] predictHundredRowsDmatrixTwoThreads() throws XGBoostError {
        return predictWithDmatrix(hundredRows);
    }

    private float[][] predictWithDmatrix(FeatureBatch batch) throws XGBoostError {
        DMatrix matrix = new DMatrix(batch.values(), batch.rows(), batch.columns(), Float.NaN);
        try {
            return booster.predict(matrix);
        } finally {
            matrix.dispose();
        }
    }
}
