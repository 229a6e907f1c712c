package dev.flywheel.bench.data;

import dev.flywheel.testkit.SharedData;
import dev.flywheel.sdk.data.Table;
import dev.flywheel.sdk.spi.Materializer;
import dev.flywheel.store.artifact.StoredBlob;
import dev.flywheel.store.artifact.local.LocalArtifactStore;
import dev.flywheel.store.materialize.Materializers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The bike-sharing hours (17,379 rows x 17 columns): CSV parsing, the table-v1 materializer, the local artifact
 * store and the model-input conversion. Data: {@code SharedData} (-Dflywheel.shared.data=DIR, else the nearest
 * shared/data folder above the working folder).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TableBenchmark {
    private static final List<String> FEATURES = List.of("season", "yr", "mnth", "hr", "holiday", "weekday",
            "workingday", "weathersit", "temp", "atemp", "hum", "windspeed");

    private Path csv;
    private Table table;
    private Materializer<? super Table> materializer;
    private byte[] tableBytes;
    private Path storeRoot;
    private LocalArtifactStore store;
    private StoredBlob blob;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        csv = SharedData.bikeSharingHoursOrFail();
        table = Table.readCsv(csv);
        materializer = Materializers.builtInOnly().forType(Table.class);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        materializer.write(table, out);
        tableBytes = out.toByteArray();
        storeRoot = Files.createTempDirectory("flywheel-bench-store");
        store = new LocalArtifactStore(storeRoot);
        blob = store.write(o -> materializer.write(table, o));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> files = Files.walk(storeRoot)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    public Table readCsv() {
        return Table.readCsv(csv);
    }

    @Benchmark
    public byte[] writeTableV1() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(tableBytes.length);
        materializer.write(table, out);
        return out.toByteArray();
    }

    @Benchmark
    public Object readTableV1() throws IOException {
        return materializer.read(new ByteArrayInputStream(tableBytes), Table.class);
    }

    /** Same bytes every time, so this measures hash + temp write + fsync + the already-exists path. */
    @Benchmark
    public StoredBlob storeWriteTable() {
        return store.write(o -> materializer.write(table, o));
    }

    @Benchmark
    public Object storeOpenAndReadTable() throws IOException {
        try (InputStream in = store.open(blob.uri())) {
            return materializer.read(in, Table.class);
        }
    }

    @Benchmark
    public float[] toRowMajorFloats() {
        return table.toRowMajorFloats(FEATURES);
    }

    @Benchmark
    public Table.Split randomSplit() {
        return table.randomSplit(0.2, 42);
    }
}
