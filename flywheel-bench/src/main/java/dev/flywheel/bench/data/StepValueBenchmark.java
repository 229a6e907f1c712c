package dev.flywheel.bench.data;

import dev.flywheel.engine.artifact.ArtifactIo;
import dev.flywheel.sdk.data.Table;
import dev.flywheel.sdk.internal.ValueType;
import dev.flywheel.sdk.spi.Materializer;
import dev.flywheel.store.artifact.StoredBlob;
import dev.flywheel.store.artifact.local.LocalArtifactStore;
import dev.flywheel.store.materialize.Materializers;
import dev.flywheel.store.metadata.ArtifactRecord;
import dev.flywheel.testkit.SharedData;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What reading a step input costs now that it is hash-checked and chosen by format and type (issue 21, issue 11
 * item 2): the bike-sharing table read straight from the store (the old path) beside {@code ArtifactIo.read} (sha256
 * check + materializer by recorded format and type); and 100,000 doubles as {@code double[]} (array-v1), as
 * {@code List<Double>} (list-v1) and, as users had to before, as a record holding the list (json).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StepValueBenchmark {
    /** The record users wrapped a list in before containers were stored directly. */
    public record Doubles(List<Double> values) {
    }

    private Path storeRoot;
    private LocalArtifactStore store;
    private ArtifactIo io;
    private Materializer<? super Table> tables;
    private ArtifactRecord tableArtifact;

    private double[] array;
    private List<Double> list;
    private Doubles wrapped;
    private Materializer<Object> arrayForm;
    private Materializer<Object> listForm;
    private Materializer<Object> jsonForm;
    private byte[] arrayBytes;
    private byte[] listBytes;
    private byte[] jsonBytes;

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void setUp() throws Exception {
        Materializers materializers = Materializers.builtInOnly();
        storeRoot = Files.createTempDirectory("flywheel-bench-values");
        store = new LocalArtifactStore(storeRoot);
        io = new ArtifactIo(store, materializers);
        Table table = Table.readCsv(SharedData.bikeSharingHoursOrFail());
        tables = materializers.forType(Table.class);
        ArtifactIo.Written w = io.write(table, new ValueType.Plain(Table.class));
        StoredBlob blob = w.blob();
        tableArtifact = new ArtifactRecord("bench", blob.uri(), w.type(), w.materializer(), blob.size(), blob.sha256(),
                Instant.now(), "step-run", "run", "load", "table");

        array = new double[100_000];
        list = new ArrayList<>(array.length);
        for (int i = 0; i < array.length; i++) {
            array[i] = i * 0.37;
            list.add(array[i]);
        }
        wrapped = new Doubles(list);
        arrayForm = (Materializer<Object>) materializers.forValueType(new ValueType.Plain(double[].class));
        listForm = (Materializer<Object>) materializers.forValueType(ValueType.of(Doubles.class.getRecordComponents()[0].getGenericType()));
        jsonForm = (Materializer<Object>) materializers.forValueType(new ValueType.Plain(Doubles.class));
        arrayBytes = bytes(arrayForm, array);
        listBytes = bytes(listForm, list);
        jsonBytes = bytes(jsonForm, wrapped);
    }

    private static byte[] bytes(Materializer<Object> m, Object value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.write(value, out);
        return out.toByteArray();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> files = Files.walk(storeRoot)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Baseline: open the blob and read the table, no hash check (how inputs were read before). */
    @Benchmark
    public Object tableOpenAndRead() throws IOException {
        try (InputStream in = store.open(tableArtifact.uri())) {
            return tables.read(in, Table.class);
        }
    }

    /** A step input now: recorded type parsed, materializer by format and type, sha256 checked, then read. */
    @Benchmark
    public Object tableArtifactIoRead() {
        return io.read(tableArtifact, getClass().getClassLoader());
    }

    @Benchmark
    public byte[] doublesArrayWrite() throws IOException {
        return bytes(arrayForm, array);
    }

    @Benchmark
    public Object doublesArrayRead() throws IOException {
        return arrayForm.read(new ByteArrayInputStream(arrayBytes), double[].class);
    }

    @Benchmark
    public byte[] doublesListWrite() throws IOException {
        return bytes(listForm, list);
    }

    @Benchmark
    public Object doublesListRead() throws IOException {
        return listForm.read(new ByteArrayInputStream(listBytes), List.class);
    }

    @Benchmark
    public byte[] doublesRecordJsonWrite() throws IOException {
        return bytes(jsonForm, wrapped);
    }

    @Benchmark
    public Object doublesRecordJsonRead() throws IOException {
        return jsonForm.read(new ByteArrayInputStream(jsonBytes), Doubles.class);
    }
}
