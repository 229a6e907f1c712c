package dev.flywheel.bench.monitor;

import dev.flywheel.monitor.DriftConfig;
import dev.flywheel.monitor.DriftEngine;
import dev.flywheel.sdk.data.DoubleColumn;
import dev.flywheel.sdk.data.LongColumn;
import dev.flywheel.sdk.data.StringColumn;
import dev.flywheel.sdk.data.Table;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Issue 16's goal: drift of 1,000,000 rows x 20 columns against a 100,000-row reference in under a second
 * ({@link DriftData}: 16 numeric columns compared by normed Wasserstein, 4 code and category columns by
 * Jensen-Shannon, PSI beside every one). A timed harness rather than JMH, because it reports CPU time beside wall
 * time (on a shared machine the wall time says more about the neighbours) and interleaves the variants round by
 * round, so a burst of load hits them alike:
 * <ul>
 * <li>{@code engine}: {@link DriftEngine} with its defaults (one column per core);</li>
 * <li>{@code engine, 1 thread}: the same, one column after another;</li>
 * <li>the baseline, {@code SciPy/NumPy}: Evidently's formulas in Python on the same data (drift_scipy.py, run with
 * {@code /usr/bin/python3} if it has NumPy and SciPy; skipped otherwise).</li>
 * </ul>
 * Run from the repository root with {@code flywheel-bench/monitor/drift-bench.sh [ROUNDS]} (builds, then runs this).
 */
public final class DriftBenchmark {
    private static final int WARMUP = 3;

    private DriftBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        long t0 = System.nanoTime();
        Table reference = DriftData.table(100_000, false, 1);
        Table current = DriftData.table(1_000_000, true, 2);
        System.out.printf("data: reference %,d x %d, current %,d x %d (made in %d ms); %d cores, load average %.1f%n",
                reference.rowCount(), reference.columnCount(), current.rowCount(), current.columnCount(),
                (System.nanoTime() - t0) / 1_000_000, Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

        DriftEngine engine = DriftEngine.withDefaults();
        DriftEngine oneThread = DriftEngine.create(DriftConfig.defaults().withParallelism(1));
        Map<String, Supplier<Object>> variants = new LinkedHashMap<>();
        variants.put("engine", () -> engine.compare(reference, current));
        variants.put("engine, 1 thread", () -> oneThread.compare(reference, current));
        Map<String, List<long[]>> samples = new LinkedHashMap<>();
        variants.keySet().forEach(k -> samples.put(k, new ArrayList<>()));
        for (int round = 0; round < WARMUP + rounds; round++) {
            for (Map.Entry<String, Supplier<Object>> v : variants.entrySet()) {
                long[] sample = time(v.getValue());
                if (round >= WARMUP) {
                    samples.get(v.getKey()).add(sample);
                }
            }
        }
        System.out.printf("%-18s %14s %14s %14s%n", "variant", "median wall ms", "min wall ms", "median CPU ms");
        samples.forEach((name, s) -> System.out.printf("%-18s %14d %14d %14d%n", name, median(s, 0),
                s.stream().mapToLong(x -> x[0]).min().orElseThrow(), median(s, 1)));
        scipy(reference, current, Math.min(rounds, 3));
    }

    /** {wall ns, process CPU ns} of one call, in ms. */
    private static long[] time(Supplier<Object> call) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long c0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Object result = call.get();
        long wall = System.nanoTime() - t0;
        long cpu = os.getProcessCpuTime() - c0;
        if (result == null) {
            throw new IllegalStateException("no result");
        }
        return new long[] {wall / 1_000_000, cpu / 1_000_000};
    }

    private static long median(List<long[]> samples, int field) {
        long[] v = samples.stream().mapToLong(x -> x[field]).sorted().toArray();
        return v[v.length / 2];
    }

    private static void scipy(Table reference, Table current, int reps) throws IOException, InterruptedException {
        Path python = Path.of("/usr/bin/python3");
        if (!Files.isExecutable(python) || new ProcessBuilder(python.toString(), "-c", "import numpy, scipy")
                .start().waitFor() != 0) {
            System.out.println("SciPy/NumPy: skipped (/usr/bin/python3 with numpy and scipy not found;"
                    + " apt-get install python3-scipy)");
            return;
        }
        Path dir = Files.createTempDirectory("flywheel-drift-bench");
        try {
            for (String name : reference.columnNames()) {
                write(dir, "ref_" + name, reference, name);
                write(dir, "cur_" + name, current, name);
            }
            Path script = dir.resolve("drift_scipy.py");
            try (InputStream in = DriftBenchmark.class.getResourceAsStream("drift_scipy.py")) {
                Files.copy(in, script);
            }
            Process p = new ProcessBuilder(python.toString(), script.toString(), dir.toString(), Integer.toString(reps))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            String version = new String(new ProcessBuilder(python.toString(), "-c",
                    "import numpy, scipy; print('numpy', numpy.__version__, 'scipy', scipy.__version__)")
                    .start().getInputStream().readAllBytes()).trim();
            System.out.println("SciPy/NumPy (" + version + ", " + reps + " runs): " + out);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    private static void write(Path dir, String file, Table table, String name) throws IOException {
        switch (table.column(name)) {
            case StringColumn s -> Files.writeString(dir.resolve(file + ".txt"), String.join("\n", s.toArray()));
            case DoubleColumn d -> writeDoubles(dir.resolve(file + ".f64"), d.toArray());
            case LongColumn l -> writeDoubles(dir.resolve(file + ".f64"), l.toDoubles());
        }
    }

    private static void writeDoubles(Path file, double[] values) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asDoubleBuffer().put(values);
        Files.write(file, buffer.array());
    }
}
