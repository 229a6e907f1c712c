package dev.flywheel.bench.formats;

import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.ModelFormat;
import dev.flywheel.formats.ModelFormats;
import dev.flywheel.formats.Predictions;
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

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The 12-64-1 ONNX network through {@code ModelFormats}: load from a file, predict 1 and 100 bike-sharing rows. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OnnxBenchmark {
    private ModelFormat format;
    private Path file;
    private LoadedModel model;
    private FeatureBatch oneRow;
    private FeatureBatch hundredRows;

    @Setup(Level.Trial)
    public void load() {
        BenchModels.Data data = BenchModels.bikeSharing();
        file = BenchModels.onnxMlp();
        format = ModelFormats.load().get("onnx");
        model = format.load(file, BenchModels.SIGNATURE);
        oneRow = data.head(1);
        hundredRows = data.head(100);
    }

    @TearDown(Level.Trial)
    public void close() {
        model.close();
    }

    @Benchmark
    public int loadFromFile() {
        try (LoadedModel loaded = format.load(file, BenchModels.SIGNATURE)) {
            return loaded.outputWidth();
        }
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
}
