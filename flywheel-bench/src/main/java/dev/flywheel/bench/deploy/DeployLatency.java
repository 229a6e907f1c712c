package dev.flywheel.bench.deploy;

import dev.flywheel.testkit.SharedData;
import dev.flywheel.deploy.DeploymentConfig;
import dev.flywheel.deploy.local.LocalDeployerSettings;
import dev.flywheel.deploy.local.LocalModelDeployer;
import dev.flywheel.deploy.service.Service;
import dev.flywheel.deploy.service.ServiceStore;
import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.xgboost.XgboostTrainer;
import dev.flywheel.sdk.data.Table;
import dev.flywheel.sdk.model.ModelSignature;
import dev.flywheel.store.metadata.MetadataStore;
import dev.flywheel.store.secret.local.LocalSecretsStore;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Time from {@code deployModel} to the first answered prediction, for a new server and for a replace (hot swap), and
 * the requests that fail during a replace under load. Not JMH: each sample starts real processes.
 * <pre>
 * java -cp "flywheel-bench/target/classes:flywheel-bench/target/lib/*" dev.flywheel.bench.deploy.DeployLatency [ROUNDS] [DATA_DIR]
 * </pre>
 */
public final class DeployLatency {
    private static final List<String> FEATURES = List.of("season", "yr", "mnth", "hr", "holiday", "weekday",
            "workingday", "weathersit", "temp", "atemp", "hum", "windspeed");
    private static final String ROW = "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 12], \"datatype\": \"FP32\", "
            + "\"data\": [1, 0, 1, 0, 0, 6, 0, 1, 0.24, 0.2879, 0.81, 0]}]}";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private DeployLatency() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path data = args.length > 1 ? Path.of(args[1], "bike-sharing", "hour.csv") : SharedData.bikeSharingHoursOrFail();
        Path home = Files.createTempDirectory("flywheel-deploy-bench");
        Path v1 = train(data, 5, home.resolve("v1.json"));
        Path v2 = train(data, 30, home.resolve("v2.json"));
        ModelSignature sig = ModelSignature.regression(FEATURES);
        try (MetadataStore metadata = MetadataStore.openSqlite(home.resolve("flywheel.db"))) {
            LocalSecretsStore secrets = new LocalSecretsStore(metadata, home.resolve("secrets.key"), Clock.systemUTC());
            LocalModelDeployer deployer = new LocalModelDeployer(new ServiceStore(metadata), home.resolve("services"), () -> secrets,
                    LocalDeployerSettings.defaults(), Clock.systemUTC());
            for (int i = 0; i < rounds; i++) {
                DeploymentConfig first = new DeploymentConfig("bike", 1, "xgboost", v1, sig, "bench", "r" + i, "deploy", 0, null);
                long t0 = System.nanoTime();
                Service s = deployer.deployModel(first, true, Duration.ofSeconds(120));
                awaitVersion(s.predictionUrl(), "1");
                long newMs = (System.nanoTime() - t0) / 1_000_000;

                AtomicBoolean running = new AtomicBoolean(true);
                AtomicInteger sent = new AtomicInteger();
                AtomicInteger failed = new AtomicInteger();
                List<Thread> clients = new ArrayList<>();
                for (int c = 0; c < 3; c++) {
                    clients.add(Thread.ofPlatform().start(() -> {
                        while (running.get()) {
                            sent.incrementAndGet();
                            try {
                                if (infer(s.predictionUrl()).statusCode() != 200) {
                                    failed.incrementAndGet();
                                }
                            } catch (IOException | InterruptedException e) {
                                failed.incrementAndGet();
                            }
                        }
                    }));
                }
                long t1 = System.nanoTime();
                deployer.deployModel(first.withVersion(2, "xgboost", v2, sig), true, Duration.ofSeconds(120));
                awaitVersion(s.predictionUrl(), "2");
                long replaceMs = (System.nanoTime() - t1) / 1_000_000;
                running.set(false);
                for (Thread t : clients) {
                    t.join();
                }
                System.out.printf("round %d: new server %d ms, replace %d ms, requests during replace %d, failed %d%n",
                        i + 1, newMs, replaceMs, sent.get(), failed.get());
                deployer.deleteService(s.record().uuid(), Duration.ofSeconds(20), false);
            }
        }
    }

    private static void awaitVersion(String url, String version) throws IOException, InterruptedException {
        while (true) {
            HttpResponse<String> r = infer(url);
            if (r.statusCode() == 200 && version.equals(r.headers().firstValue("X-Model-Version").orElse(""))) {
                return;
            }
        }
    }

    private static HttpResponse<String> infer(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ROW)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Path train(Path csv, int rounds, Path out) throws IOException {
        Table t = Table.readCsv(csv);
        double[] cnt = t.doubles("cnt");
        float[] y = new float[cnt.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) cnt[i];
        }
        byte[] model = XgboostTrainer.regression(Map.of("max_depth", 4, "nthread", 1), rounds)
                .fit(new FeatureBatch(t.rowCount(), FEATURES.size(), t.toRowMajorFloats(FEATURES)), y,
                        ModelSignature.regression(FEATURES), "bike").content();
        return Files.write(out, model);
    }
}
