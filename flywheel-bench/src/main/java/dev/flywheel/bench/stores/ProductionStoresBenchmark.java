package dev.flywheel.bench.stores;

import dev.flywheel.bench.engine.NoOpSteps;
import dev.flywheel.bench.engine.SeedRuns;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.runtime.ProjectConfig;
import dev.flywheel.s3.S3ArtifactStore;
import dev.flywheel.s3.S3StoreConfig;
import dev.flywheel.sdk.RunListener;
import dev.flywheel.sdk.RunOptions;
import dev.flywheel.store.artifact.ArtifactStore;
import dev.flywheel.store.artifact.StoredBlob;
import dev.flywheel.store.artifact.local.LocalArtifactStore;
import dev.flywheel.testdb.S3Server;
import dev.flywheel.testkit.PostgresServer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The production stores side by side with the embedded ones, in one run (issue 13): per-step tracking overhead of a
 * 100-step no-op chain on SQLite and on PostgreSQL; {@code runs list} (first page of 50) over 100,000 runs on a cold
 * JVM; artifact upload and download MB/s to the local folder and to S3 (s3proxy on loopback over a folder, in this
 * JVM). PostgreSQL is a real server the testkit starts (initdb in a temporary folder, loopback).
 *
 * <p>Usage (from the repository root, after {@code mvn -o -B -pl flywheel-bench -am package -DskipTests}):
 * <pre>
 * FLYWHEEL_TEST_PG_PASSWORD=flywheel-test-password java -cp "flywheel-bench/target/classes:flywheel-bench/target/lib/*" \
 *     dev.flywheel.bench.stores.ProductionStoresBenchmark [RUNS=100000] [STEPS=100] [REPEATS=5] [BLOB_MIB=64] \
 *     [SECTIONS=steps,list,artifacts]
 * </pre>
 */
public final class ProductionStoresBenchmark {
    static final String PASSWORD_ENV = "FLYWHEEL_TEST_PG_PASSWORD";

    private ProductionStoresBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"); // s3proxy and Flyway log every request
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int blobMiB = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        String sections = args.length > 4 ? args[4] : "steps,list,artifacts";
        if (!PostgresServer.PASSWORD.equals(System.getenv(PASSWORD_ENV))) {
            throw new IllegalStateException("export " + PASSWORD_ENV + "=" + PostgresServer.PASSWORD + " first (the PostgreSQL project reads"
                    + " its password from it, as flywheel init --db-password-env does)");
        }
        Path work = Files.createTempDirectory("flywheel-stores-bench");
        PostgresServer pg = PostgresServer.shared();
        System.out.printf("PostgreSQL %s on loopback; %d cores; load average %.1f%n", pg.version(),
                Runtime.getRuntime().availableProcessors(), java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

        Path sqliteHome = work.resolve("sqlite/.flywheel");
        Path pgHome = work.resolve("postgres/.flywheel");
        PostgresServer.Database db = pg.createDatabase("bench");
        ProjectConfig postgres = new ProjectConfig("postgres", Map.of("url", db.url(), "user", db.user(), "password", "{{env." + PASSWORD_ENV + "}}"));

        if (sections.contains("steps")) {
            System.out.println();
            System.out.printf("Per-step tracking overhead: %d-step no-op chain, %d measured runs after 3 warm-ups%n", steps, repeats);
            stepOverhead("sqlite", sqliteHome, null, steps, repeats);
            stepOverhead("postgres", pgHome, postgres, steps, repeats);
        }
        if (sections.contains("list")) {
            System.out.println();
            System.out.printf("runs list (newest 50) over %,d runs, cold JVM per call (%d calls)%n", runs, repeats);
            seed(sqliteHome, null, runs);
            seed(pgHome, postgres, runs);
            listRuns("sqlite", sqliteHome, repeats);
            listRuns("postgres", pgHome, repeats);
        }
        if (!sections.contains("artifacts")) {
            pg.dropDatabase(db.name());
            return;
        }

        System.out.println();
        System.out.printf("Artifact store throughput, %d MiB blobs, %d each way%n", blobMiB, repeats);
        try (S3Server s3 = S3Server.start(Files.createDirectories(work.resolve("s3")))) {
            s3.createBucket("bench");
            throughput("local", () -> new LocalArtifactStore(work.resolve("local-artifacts")), blobMiB, repeats);
            int[] cache = {0};
            throughput("s3", () -> S3ArtifactStore.open(S3StoreConfig.of("bench", work.resolve("s3-cache-" + cache[0]++))
                    .withEndpoint(s3.endpoint(), true).withCredentials(S3Server.ACCESS_KEY, S3Server.SECRET_KEY), Clock.systemUTC()), blobMiB, repeats);
        }
        pg.dropDatabase(db.name());
    }

    private static Flywheel open(Path home, ProjectConfig project) {
        return Flywheel.create(cfg -> {
            cfg.home = home;
            cfg.project = project;
        });
    }

    private static void stepOverhead(String name, Path home, ProjectConfig project, int steps, int repeats) {
        try (Flywheel flywheel = open(home, project)) {
            for (int i = 0; i < 3; i++) {
                flywheel.run(NoOpSteps.chain(steps, 1000 + i), RunOptions.defaults(), RunListener.NONE);
            }
            double[] perStep = new double[repeats];
            for (int i = 0; i < repeats; i++) {
                long t0 = System.nanoTime();
                flywheel.run(NoOpSteps.chain(steps, i), RunOptions.defaults(), RunListener.NONE);
                perStep[i] = (System.nanoTime() - t0) / 1e6 / steps;
            }
            System.out.printf("  %-9s %s ms/step (median %.2f)%n", name, text(perStep), median(perStep));
        }
    }

    private static void seed(Path home, ProjectConfig project, int runs) {
        long t0 = System.nanoTime();
        try (Flywheel flywheel = open(home, project)) {
            SeedRuns.seed(flywheel, runs);
        }
        System.out.printf("  seeded %s in %.1f s%n", home.getParent().getFileName(), (System.nanoTime() - t0) / 1e9);
    }

    private static void listRuns(String name, Path home, int repeats) throws IOException, InterruptedException {
        double[] inJvm = new double[repeats];
        double[] wall = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "--enable-native-access=ALL-UNNAMED",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    "-cp", System.getProperty("java.class.path"), ListRunsOnce.class.getName(), home.toString()));
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("ListRunsOnce failed: " + out);
            }
            wall[i] = (System.nanoTime() - t0) / 1e6;
            String result = out.lines().filter(l -> l.matches("\\d+ \\d+")).reduce((a, b) -> b)
                    .orElseThrow(() -> new IllegalStateException("ListRunsOnce printed no result: " + out));
            inJvm[i] = Double.parseDouble(result.split(" ")[0]);
        }
        System.out.printf("  %-9s JVM start to first page: %s ms (median %.0f); process wall: median %.0f ms%n", name, text(inJvm),
                median(inJvm), median(wall));
        launcherRunsList(name, home, repeats);
    }

    /**
     * What a user waits for: {@code ./flywheel runs list} (the launcher with its ahead-of-time class cache, the table
     * rendered) in the project's folder, one warm-up call (it may build the launcher's cache) then {@code repeats}.
     */
    private static void launcherRunsList(String name, Path home, int repeats) throws IOException, InterruptedException {
        Path launcher = Path.of("flywheel").toAbsolutePath();
        if (!Files.isExecutable(launcher)) {
            System.out.printf("  %-9s ./flywheel runs list: skipped (run from the repository's root to time the launcher)%n", name);
            return;
        }
        double[] wall = new double[repeats];
        for (int i = -1; i < repeats; i++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(launcher.toString(), "runs", "list").directory(home.getParent().toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("./flywheel runs list failed in " + home.getParent() + " (exit " + p.exitValue() + ")");
            }
            if (i >= 0) {
                wall[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        System.out.printf("  %-9s ./flywheel runs list (launcher, table rendered): %s ms (median %.0f)%n", name, text(wall), median(wall));
    }

    private interface StoreFactory {
        ArtifactStore open() throws Exception;
    }

    private static void throughput(String name, StoreFactory stores, int mib, int repeats) throws Exception {
        byte[] data = new byte[mib * 1024 * 1024];
        Random random = new Random(42);
        double[] up = new double[repeats];
        double[] down = new double[repeats];
        for (int i = 0; i < repeats + 1; i++) {
            random.nextBytes(data); // new bytes each time: content addressing would skip a repeated upload
            ArtifactStore store = stores.open();
            try {
                long t0 = System.nanoTime();
                StoredBlob blob = store.write(out -> out.write(data));
                double upSeconds = (System.nanoTime() - t0) / 1e9;
                ArtifactStore reader = stores.open(); // a fresh store: S3 downloads again (its cache is per store folder)
                try {
                    long t1 = System.nanoTime();
                    try (InputStream in = reader.open(blob.uri())) {
                        in.transferTo(OutputStreamSink.INSTANCE);
                    }
                    double downSeconds = (System.nanoTime() - t1) / 1e9;
                    if (i > 0) { // the first round warms up
                        up[i - 1] = mib / upSeconds;
                        down[i - 1] = mib / downSeconds;
                    }
                } finally {
                    close(reader);
                }
            } finally {
                close(store);
            }
        }
        System.out.printf("  %-6s upload %s MB/s (median %.0f); download %s MB/s (median %.0f)%n", name, text(up), median(up), text(down),
                median(down));
    }

    private static void close(ArtifactStore store) throws Exception {
        if (store instanceof AutoCloseable c) {
            c.close();
        }
    }

    /** Discards bytes. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }

    private static String text(double[] values) {
        return Arrays.stream(values).mapToObj(v -> String.format(v < 10 ? "%.2f" : "%.0f", v)).toList().toString();
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
