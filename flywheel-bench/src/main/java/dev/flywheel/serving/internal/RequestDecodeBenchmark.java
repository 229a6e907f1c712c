package dev.flywheel.serving.internal;

import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.sdk.model.ModelSignature;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Request decoding on the REST prediction path, the tree reader (a {@code JsonNode} tree, then the batch) beside the
 * streaming reader (values straight into the batch's float buffer), for one-row and 100-row bodies of the 12-feature
 * bike model: OIP v2 infer with one input per feature, and MLflow's {@code dataframe_split}. In serving's internal
 * package (a split package on the class path) because the codecs are not public API.
 *
 * <pre>java -cp "flywheel-bench/target/classes:flywheel-bench/target/lib/*" org.openjdk.jmh.Main -f 1 -wi 3 -i 5 RequestDecodeBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RequestDecodeBenchmark {
    private static final List<String> FEATURES = List.of("season", "yr", "mnth", "hr", "holiday", "weekday", "workingday",
            "weathersit", "temp", "atemp", "hum", "windspeed");
    private static final ModelSignature SIGNATURE = ModelSignature.regression(FEATURES);

    @Param({"1", "100"})
    public int rows;

    private byte[] oip;
    private byte[] invocations;

    @Setup(Level.Trial)
    public void bodies() {
        SplittableRandom random = new SplittableRandom(20);
        double[][] values = new double[rows][FEATURES.size()];
        for (double[] row : values) {
            for (int c = 0; c < row.length; c++) {
                // Whole numbers for the categorical columns, decimals for the weather ones, as the data set has them.
                row[c] = c < 8 ? random.nextInt(24) : Math.round(random.nextDouble() * 10_000) / 10_000.0;
            }
        }
        List<String> inputs = new ArrayList<>();
        for (int c = 0; c < FEATURES.size(); c++) {
            StringBuilder data = new StringBuilder();
            for (int r = 0; r < rows; r++) {
                data.append(r == 0 ? "" : ",").append(number(values[r][c]));
            }
            inputs.add("{\"name\":\"" + FEATURES.get(c) + "\",\"shape\":[" + rows + "],\"datatype\":\"FP32\",\"data\":[" + data + "]}");
        }
        oip = ("{\"id\":\"bench\",\"inputs\":[" + String.join(",", inputs) + "]}").getBytes(StandardCharsets.UTF_8);
        StringBuilder split = new StringBuilder("{\"dataframe_split\":{\"columns\":[\"" + String.join("\",\"", FEATURES) + "\"],\"data\":[");
        for (int r = 0; r < rows; r++) {
            split.append(r == 0 ? "[" : ",[");
            for (int c = 0; c < FEATURES.size(); c++) {
                split.append(c == 0 ? "" : ",").append(number(values[r][c]));
            }
            split.append(']');
        }
        invocations = split.append("]}}").toString().getBytes(StandardCharsets.UTF_8);
        // Both readers must give the same batch, or the comparison means nothing.
        if (!java.util.Arrays.equals(oipTree().values(), oipStreaming().values())
                || !java.util.Arrays.equals(invocationsTree().values(), invocationsStreaming().values())) {
            throw new IllegalStateException("the tree and streaming readers disagree on the benchmark bodies");
        }
        try {
            // The streaming side must be read by the stream itself, not by the tree it falls back to.
            OipStream.read(oip, SIGNATURE, "bike");
            MlflowStream.read(invocations, SIGNATURE);
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalStateException("the streaming reader left a benchmark body to the tree reader", e);
        }
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4f", v);
    }

    @Benchmark
    public FeatureBatch oipTree() {
        return OipCodec.read(Json.parse(oip), SIGNATURE, "bike").batch();
    }

    @Benchmark
    public FeatureBatch oipStreaming() {
        return OipCodec.read(oip, SIGNATURE, "bike").batch();
    }

    @Benchmark
    public FeatureBatch invocationsTree() {
        return MlflowCodec.readJson(Json.parse(invocations), SIGNATURE);
    }

    @Benchmark
    public FeatureBatch invocationsStreaming() {
        return MlflowCodec.readJson(invocations, SIGNATURE);
    }
}
