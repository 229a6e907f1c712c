package dev.flywheel.bench.registry;

import dev.flywheel.testkit.SharedData;
import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.ModelFormats;
import dev.flywheel.formats.Predictions;
import dev.flywheel.formats.xgboost.XgboostTrainer;
import dev.flywheel.registry.ModelRef;
import dev.flywheel.registry.ModelRegistry;
import dev.flywheel.registry.ModelVersion;
import dev.flywheel.registry.Stage;
import dev.flywheel.sdk.data.Table;
import dev.flywheel.sdk.model.Model;
import dev.flywheel.sdk.model.ModelSignature;
import dev.flywheel.store.artifact.local.LocalArtifactStore;
import dev.flywheel.store.metadata.MetadataStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The registry's in-process floor for serving: resolve the production version of a model (one SQLite read), open it
 * (read the file from the artifact store, check its sha256, load it through its format, which predicts one row), and
 * predict one row with a version opened once. A prediction server cannot answer faster than
 * {@code predictOneRow}, nor swap models faster than {@code resolveAndOpenProduction}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RegistryBenchmark {
    static final List<String> FEATURES = List.of("season", "yr", "mnth", "hr", "holiday", "weekday", "workingday", "weathersit",
            "temp", "atemp", "hum", "windspeed");

    /** XGBoost: 100 trees of depth 6 on all hours; ONNX: the formats' 12-64-1 MLP fixture. */
    @Param({"xgboost", "onnx"})
    public String format;

    private Path dir;
    private MetadataStore metadata;
    private ModelRegistry registry;
    private LoadedModel opened;
    private FeatureBatch oneRow;

    @Setup(Level.Trial)
    public void registerProductionModel() throws IOException {
        Path csv = SharedData.bikeSharingHoursOrFail();
        Table hours = Table.readCsv(csv);
        float[] x = hours.toRowMajorFloats(FEATURES);
        double[] cnt = hours.doubles("cnt");
        float[] y = new float[cnt.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) cnt[i];
        }
        Model model = XgboostTrainer.regression(Map.of("max_depth", 6, "eta", 0.1, "seed", 1), 100)
                .fit(new FeatureBatch(hours.rowCount(), FEATURES.size(), x), y, ModelSignature.regression(FEATURES), "bike_demand");
        dir = Files.createTempDirectory("bench-registry");
        metadata = MetadataStore.openSqlite(dir.resolve("flywheel.db"));
        registry = new ModelRegistry(metadata, new LocalArtifactStore(dir.resolve("artifacts")), ModelFormats.load(), Clock.systemUTC());
        ModelVersion v = format.equals("xgboost")
                ? registry.importModel("bike_demand", "xgboost", write(model.content()), model.signature(), Map.of(), "bench")
                : registry.importModel("bike_demand", "onnx", onnxMlp(), model.signature(), Map.of(), "bench");
        registry.promote("bike_demand", v.version(), Stage.PRODUCTION, "bench");
        opened = registry.open(v);
        oneRow = new FeatureBatch(1, FEATURES.size(), Arrays.copyOf(x, FEATURES.size()));
    }

    private static Path onnxMlp() {
        Path file = Path.of(System.getProperty("flywheel.repo", "."), "flywheel-formats", "src", "test", "resources", "onnx", "mlp_regressor.onnx");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("ONNX benchmark model not found at " + file.toAbsolutePath() + "; run from the repository root");
        }
        return file;
    }

    private Path write(byte[] content) throws IOException {
        Path file = dir.resolve("model.ubj");
        Files.write(file, content);
        return file;
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        opened.close();
        metadata.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public ModelVersion resolveProduction() {
        return registry.get(ModelRef.stage("bike_demand", Stage.PRODUCTION));
    }

    @Benchmark
    public int resolveAndOpenProduction() {
        try (LoadedModel model = registry.open(registry.production("bike_demand").orElseThrow())) {
            return model.outputWidth();
        }
    }

    @Benchmark
    public float resolveOpenAndPredictOneRow() {
        try (LoadedModel model = registry.open(registry.production("bike_demand").orElseThrow())) {
            return model.predict(oneRow).get(0, 0);
        }
    }

    @Benchmark
    public Predictions predictOneRow() {
        return opened.predict(oneRow);
    }
}
