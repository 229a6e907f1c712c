package dev.flywheel.spark.bench;

import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.xgboost.XgboostTrainer;
import dev.flywheel.sdk.model.ModelSignature;
import dev.flywheel.spark.LocalSparkCluster;
import dev.flywheel.spark.SparkHome;
import dev.flywheel.spark.train.SparkGbt;
import org.apache.spark.launcher.SparkAppHandle;
import org.apache.spark.launcher.SparkLauncher;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Training time of the demand model on Spark (a local standalone cluster of 1 and of 2 workers, 1 core each, the
 * whole application: submit, executors, read, train) against the single-machine step (XGBoost in-process, 1 thread),
 * on the bike-sharing rows multiplied 10x and 100x (resampled with noise). Run with {@code scripts/bench-spark}; prints
 * a Markdown table. Not part of the test suite.
 */
public final class SparkTrainingBenchmark {
    static final List<String> FEATURES = List.of("season", "yr", "mnth", "hr", "holiday", "weekday", "workingday", "weathersit", "temp",
            "atemp", "hum", "windspeed");
    static final String TARGET = "cnt";
    static final int TREES = 60;
    static final int DEPTH = 6;

    private SparkTrainingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path hour = Path.of(args.length > 0 ? args[0] : "../shared/data/bike-sharing/hour.csv");
        List<Integer> scales = args.length > 1 ? Arrays.stream(args[1].split(",")).map(Integer::parseInt).toList() : List.of(10, 100);
        Path work = Files.createTempDirectory("flywheel-spark-bench-");
        if (!Files.exists(hour)) {
            System.err.println("bike-sharing data not found at " + hour + "; pass its path as the first argument");
            System.exit(2);
        }
        List<double[]> base = read(hour);
        List<String> cp = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        SparkHome home = SparkHome.assemble(work.resolve("spark"), cp);
        System.out.printf("| rows | single machine (XGBoost, 1 thread) | Spark, 1 worker | Spark, 2 workers |%n|---|---|---|---|%n");
        for (int scale : scales) {
            Path csv = work.resolve("rows-" + scale + ".csv");
            int rows = generate(base, scale, csv);
            double single = single(csv, rows);
            double one = onCluster(home, work, csv, 1);
            double two = onCluster(home, work, csv, 2);
            System.out.printf(Locale.ROOT, "| %,d (%dx) | %.1f s | %.1f s | %.1f s |%n", rows, scale, single, one, two);
            Files.deleteIfExists(csv);
        }
    }

    private static List<double[]> read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        List<String> header = Arrays.asList(lines.getFirst().split(","));
        int[] idx = new int[FEATURES.size() + 1];
        for (int i = 0; i < FEATURES.size(); i++) {
            idx[i] = header.indexOf(FEATURES.get(i));
        }
        idx[FEATURES.size()] = header.indexOf(TARGET);
        List<double[]> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            double[] r = new double[idx.length];
            for (int i = 0; i < idx.length; i++) {
                r[i] = Double.parseDouble(f[idx[i]]);
            }
            out.add(r);
        }
        return out;
    }

    /** {@code scale} copies of every row, the continuous columns and the count jittered, so no two copies are equal. */
    private static int generate(List<double[]> base, int scale, Path csv) throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        int n = 0;
        try (BufferedWriter w = Files.newBufferedWriter(csv)) {
            w.write(String.join(",", FEATURES) + "," + TARGET + "\n");
            StringBuilder line = new StringBuilder();
            for (int copy = 0; copy < scale; copy++) {
                for (double[] r : base) {
                    line.setLength(0);
                    for (int i = 0; i < r.length; i++) {
                        double v = r[i];
                        if (i >= 8 && i < FEATURES.size()) {
                            v = Math.max(0, Math.min(1, v + random.nextGaussian() * 0.01));
                        } else if (i == FEATURES.size()) {
                            v = Math.max(0, Math.round(v * (1 + random.nextGaussian() * 0.05)));
                        }
                        line.append(i == 0 ? "" : ",").append(v);
                    }
                    w.write(line.append('\n').toString());
                    n++;
                }
            }
        }
        return n;
    }

    private static double single(Path csv, int rows) throws IOException {
        long t0 = System.nanoTime();
        float[] x = new float[rows * FEATURES.size()];
        float[] y = new float[rows];
        int r = 0;
        try (var lines = Files.lines(csv)) {
            var it = lines.skip(1).iterator();
            while (it.hasNext()) {
                String[] f = it.next().split(",");
                for (int c = 0; c < FEATURES.size(); c++) {
                    x[r * FEATURES.size() + c] = Float.parseFloat(f[c]);
                }
                y[r++] = Float.parseFloat(f[FEATURES.size()]);
            }
        }
        XgboostTrainer.regression(Map.of("max_depth", DEPTH, "eta", 0.2, "nthread", 1, "seed", 7), TREES)
                .fit(new FeatureBatch(rows, FEATURES.size(), x), y, ModelSignature.regression(FEATURES), "bench");
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The whole application on a fresh cluster of {@code workers}: submit to end, as a step on the operator pays it. */
    private static double onCluster(SparkHome home, Path work, Path csv, int workers) throws Exception {
        try (LocalSparkCluster cluster = LocalSparkCluster.start(home, new LocalSparkCluster.Options(workers, 1, "1536m", "256m",
                work.resolve("cluster-" + workers + "-" + System.nanoTime()), Path.of(System.getProperty("java.home")),
                java.time.Duration.ofMinutes(3)))) {
            Map<String, String> env = new HashMap<>(home.environment());
            env.put("SPARK_LOCAL_IP", "127.0.0.1");
            Path log = work.resolve("driver-" + workers + ".log");
            SparkLauncher launcher = new SparkLauncher(env).setSparkHome(home.dir().toString()).setMaster(cluster.masterUrl())
                    .setMainClass(Driver.class.getName()).setAppResource(SparkLauncher.NO_RESOURCE).addAppArgs(csv.toString())
                    .setConf(SparkLauncher.DRIVER_MEMORY, "1g").setConf(SparkLauncher.EXECUTOR_MEMORY, "1536m")
                    .setConf("spark.executor.instances", String.valueOf(workers)).setConf("spark.cores.max", String.valueOf(workers))
                    .setConf("spark.driver.host", "127.0.0.1").setConf("spark.ui.enabled", "false")
                    .setConf("spark.scheduler.minRegisteredResourcesRatio", "1.0")
                    .setConf(SparkLauncher.DRIVER_EXTRA_CLASSPATH, String.join(File.pathSeparator,
                            Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator)).filter(e -> !e.endsWith(".jar")).toList()))
                    .redirectError().redirectOutput(log.toFile());
            CountDownLatch done = new CountDownLatch(1);
            long t0 = System.nanoTime();
            SparkAppHandle handle = launcher.startApplication(new SparkAppHandle.Listener() {
                @Override
                public void stateChanged(SparkAppHandle h) {
                    if (h.getState().isFinal()) {
                        done.countDown();
                    }
                }

                @Override
                public void infoChanged(SparkAppHandle h) {
                }
            });
            if (!done.await(60, TimeUnit.MINUTES) || handle.getState() != SparkAppHandle.State.FINISHED) {
                handle.kill();
                throw new IllegalStateException("the benchmark application ended " + handle.getState() + "; see " + log);
            }
            return (System.nanoTime() - t0) / 1e9;
        }
    }

    /** The benchmark's Spark application: read the CSV, train the trees, end. */
    public static final class Driver {
        private Driver() {
        }

        public static void main(String[] args) {
            SparkSession spark = SparkSession.builder().appName("flywheel spark benchmark").getOrCreate();
            try {
                Dataset<Row> rows = spark.read().option("header", "true").option("inferSchema", "true").csv(args[0])
                        .repartition(spark.sparkContext().defaultParallelism()).cache();
                SparkGbt.fit(rows, FEATURES, TARGET, new SparkGbt.Params(TREES, DEPTH, 0.2, 1.0, 32, 7));
            } finally {
                spark.stop();
            }
        }
    }
}
