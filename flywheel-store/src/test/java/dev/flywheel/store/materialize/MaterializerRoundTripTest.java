package dev.flywheel.store.materialize;

import dev.flywheel.testkit.SharedData;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.data.Table;
import dev.flywheel.sdk.model.Feature;
import dev.flywheel.sdk.model.FeatureType;
import dev.flywheel.sdk.model.Model;
import dev.flywheel.sdk.model.ModelSignature;
import dev.flywheel.sdk.spi.Materializer;
import dev.flywheel.store.artifact.StoredBlob;
import dev.flywheel.store.artifact.local.LocalArtifactStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MaterializerRoundTripTest {
    private final Materializers materializers = Materializers.builtInOnly();

    enum Stage { STAGING, PRODUCTION }

    record Metrics(String name, double rmse, List<Double> folds, Map<String, Long> counts, Instant at, Stage stage) {
    }

    record MetricsV1(String name, double rmse) {
    }

    static final class Pojo {
        private String label;
        private int count;

        Pojo() {
        }

        Pojo(String label, int count) {
            this.label = label;
            this.count = count;
        }

        String computed() {
            return label + count;
        }
    }

    /** Writes with the type's materializer and reads back with the one its format and type select. */
    @SuppressWarnings("unchecked")
    private <T> T roundTrip(T value, String expectedFormat) throws IOException {
        Class<T> type = (Class<T>) value.getClass();
        Materializer<? super T> writer = materializers.forType(type);
        assertThat(writer.format()).isEqualTo(expectedFormat);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(value, new NotClosing(out));
        Materializer<? super T> reader = materializers.forArtifact(writer.format(), type);
        InputStream in = new ByteArrayInputStream(out.toByteArray());
        Object read = reader.read(new NotClosingIn(in), type);
        assertThat(in.read()).as("reader consumed exactly what was written").isEqualTo(-1);
        return type.cast(read);
    }

    @Test
    void textRoundTripsAsPlainUtf8() throws IOException {
        assertThat(roundTrip("grüße, 東京 🚲", "text")).isEqualTo("grüße, 東京 🚲");
        assertThat(roundTrip("", "text")).isEmpty();
    }

    @Test
    void everyBoxedPrimitiveRoundTripsAsJsonScalar() throws IOException {
        for (Object v : List.of(42, Integer.MIN_VALUE, Long.MAX_VALUE, 0.1, -0.0, Double.NaN, Double.POSITIVE_INFINITY,
                Double.MIN_VALUE, 1.5f, Float.NaN, true, false, (short) -7, (byte) -128, 'x', '"')) {
            assertThat(roundTrip(v, "json-scalar")).as(v.getClass().getSimpleName() + " " + v).isEqualTo(v);
        }
        assertThat(materializers.forType(int.class).type()).isEqualTo(Integer.class);
    }

    @Test
    void scalarsWrittenByJacksonBeforeStillReadAndNewOnesAreTheSameJson() throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper jackson = new com.fasterxml.jackson.databind.ObjectMapper();
        for (Object v : List.of(42, -0.0, 0.1, 1e300, Double.NaN, Double.NEGATIVE_INFINITY, 1.5f, Float.MIN_VALUE, Long.MIN_VALUE,
                (short) -7, (byte) 3, true, 'x', '"')) {
            @SuppressWarnings("unchecked")
            Materializer<Object> m = (Materializer<Object>) materializers.forType(v.getClass());
            byte[] old = jackson.writeValueAsBytes(v);
            assertThat(m.read(new ByteArrayInputStream(old), (Class<Object>) (Class<?>) v.getClass())).as("reads " + new String(old)).isEqualTo(v);
            ByteArrayOutputStream now = new ByteArrayOutputStream();
            m.write(v, now);
            assertThat(jackson.readValue(now.toByteArray(), v.getClass())).as("valid JSON " + now).isEqualTo(v);
        }
    }

    @Test
    void bytesRoundTripUnchanged() throws IOException {
        byte[] b = {0, 1, -1, 127, -128};
        assertThat(roundTrip(b, "bytes")).containsExactly(b);
    }

    @Test
    void recordsEnumsAndPojosRoundTripAsJson() throws IOException {
        Metrics m = new Metrics("bike", 3.5, List.of(1.0, 2.5), Map.of("rows", 17379L), Instant.parse("2026-11-22T21:00:00Z"),
                Stage.PRODUCTION);
        assertThat(roundTrip(m, "json")).isEqualTo(m);
        assertThat(roundTrip(Stage.STAGING, "json")).isEqualTo(Stage.STAGING);
        Pojo p = roundTrip(new Pojo("a", 3), "json");
        assertThat(p.computed()).isEqualTo("a3");
    }

    @Test
    void oldRecordReadsArtifactsThatHaveMoreFields() throws IOException {
        Metrics m = new Metrics("bike", 3.5, List.of(), Map.of(), Instant.EPOCH, Stage.STAGING);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        materializers.forType(Metrics.class).write(m, out);
        Object old = materializers.forArtifact("json", MetricsV1.class).read(new ByteArrayInputStream(out.toByteArray()), MetricsV1.class);
        assertThat(old).isEqualTo(new MetricsV1("bike", 3.5));
    }

    @Test
    void tableRoundTripsWithAllColumnTypesAndMissingValues() throws IOException {
        Table t = Table.builder()
                .longs("id", 1, Long.MIN_VALUE, Long.MAX_VALUE)
                .doubles("x", 0.1, Double.NaN, -0.0)
                .strings("s", "a", null, "")
                .strings("ü name", "東京", "x,y", "\"")
                .strings("long", "x".repeat(70_000), "ü".repeat(40_000), "y")
                .build();
        assertThat(roundTrip(t, "table-v1")).isEqualTo(t);
        assertThat(roundTrip(Table.empty(), "table-v1")).isEqualTo(Table.empty());
        Table noRows = t.head(0);
        assertThat(roundTrip(noRows, "table-v1")).isEqualTo(noRows);
    }

    @Test
    void bikeSharingTableRoundTripsThroughTheLocalStore(@TempDir Path root) throws IOException {
        Table hours = Table.readCsv(SharedData.requireBikeSharingHours());
        LocalArtifactStore store = new LocalArtifactStore(root);
        Materializer<? super Table> m = materializers.forType(Table.class);
        StoredBlob blob = store.write(out -> m.write(hours, out));
        try (InputStream in = store.open(blob.uri())) {
            assertThat(m.read(in, Table.class)).isEqualTo(hours);
        }
    }

    @Test
    void modelRoundTripsWithHeaderAndContent() throws IOException {
        ModelSignature sig = new ModelSignature(List.of(Feature.fp32("temp"), new Feature("hr", FeatureType.INT64, true)),
                List.of(Feature.fp32("prediction")));
        byte[] content = new byte[100_000];
        Arrays.fill(content, (byte) 3);
        Model model = new Model("bike_demand", "xgboost", content, sig, Map.of("rmse", 41.5, "odd", Double.NaN));
        assertThat(roundTrip(model, "model-v1")).isEqualTo(model);
    }

    @Test
    void tableFromTheWrongFormatIsRejectedByItsMagic() {
        Materializer<?> table = materializers.forArtifact("table-v1", Table.class);
        InputStream text = new ByteArrayInputStream("hello world".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> table.read(text, null))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("not a table-v1 artifact").hasMessageContaining("68 65 6c 6c");
    }

    @Test
    void truncatedOrNewerTableIsRejectedClearly() throws IOException {
        Table t = Table.builder().doubles("temp", 1, 2, 3).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        materializers.forType(Table.class).write(t, out);
        byte[] bytes = out.toByteArray();
        Materializer<? super Table> m = materializers.forType(Table.class);
        assertThatThrownBy(() -> m.read(new ByteArrayInputStream(Arrays.copyOf(bytes, bytes.length - 4)), Table.class))
                .hasMessageContaining("truncated").hasMessageContaining("column 'temp'");
        byte[] newer = bytes.clone();
        newer[4] = 2;
        assertThatThrownBy(() -> m.read(new ByteArrayInputStream(newer), Table.class))
                .hasMessageContaining("format version 2 but this Flywheel reads version 1");
    }

    @Test
    void modelFromTheWrongFormatIsAnInvalidModel() {
        Materializer<?> model = materializers.forArtifact("model-v1", Model.class);
        assertThatThrownBy(() -> model.read(new ByteArrayInputStream(new byte[] {'F', 'W', 'T', 'B', 1, 0}), null))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MODEL))
                .hasMessageContaining("not a model-v1 artifact");
    }

    /** Materializers must not close streams; these fail the test if they try. */
    private static final class NotClosing extends java.io.FilterOutputStream {
        NotClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() {
            throw new AssertionError("a materializer closed its output stream");
        }
    }

    private static final class NotClosingIn extends java.io.FilterInputStream {
        NotClosingIn(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            throw new AssertionError("a materializer closed its input stream");
        }
    }
}
