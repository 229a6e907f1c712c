package dev.flywheel.deploy.local;

import dev.flywheel.client.Tensor;
import dev.flywheel.deploy.DeploymentConfig;
import dev.flywheel.deploy.service.Service;
import dev.flywheel.deploy.service.ServiceStatus;
import dev.flywheel.deploy.service.ServiceStore;
import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.ModelFormats;
import dev.flywheel.formats.xgboost.XgboostTrainer;
import dev.flywheel.sdk.model.Model;
import dev.flywheel.sdk.model.ModelSignature;
import dev.flywheel.store.metadata.MetadataStore;
import dev.flywheel.testkit.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Listing services reads each supervisor's heartbeat instead of asking every server, and observes services in
 * parallel: a frozen server (SIGSTOP) shows as not answering within a heartbeat or two while the others stay
 * active, and comes back when it is thawed. {@code Service.predict} answers what the model predicts. Real supervisors and prediction servers; a tiny model trained here, so the
 * test needs no shared data.
 */
class ServiceListingTest {
    static final ModelSignature SIGNATURE = ModelSignature.regression(List.of("a", "b", "c"));

    @TempDir
    Path home;
    MetadataStore metadata;
    LocalModelDeployer deployer;

    @AfterEach
    void deleteEveryService() {
        if (deployer != null) {
            for (LocalDaemonService s : deployer.list()) {
                deployer.deleteService(s.record().uuid(), Duration.ofSeconds(10), true);
            }
        }
        if (metadata != null) {
            metadata.close();
        }
    }

    @Test
    void listingTrustsFreshHeartbeatsAndSeesAFrozenServerStopAnsweringWhileTheOthersStayActive() throws Exception {
        metadata = MetadataStore.openSqlite(home.resolve("flywheel.db"));
        deployer = new LocalModelDeployer(new ServiceStore(metadata), home.resolve("services"), ProjectSecrets.of(metadata, home), LocalDeployerSettings.defaults(), Clock.systemUTC());
        Path model = tinyModel(home.resolve("model.json"));
        Service first = deployer.deployModel(new DeploymentConfig("tiny", 1, "xgboost", model, SIGNATURE, "p", "r1", "a", 0, sha256(model)), false,
                Duration.ofSeconds(90));
        Service second = deployer.deployModel(new DeploymentConfig("tiny", 1, "xgboost", model, SIGNATURE, "p", "r1", "b", 0, sha256(model)), false,
                Duration.ofSeconds(90));
        LocalDaemonService frozen = deployer.get(second.record().uuid().toString());
        ServiceFolder folder = ServiceFolder.of(home.resolve("services"), frozen.record().uuid());
        Await.until(Duration.ofSeconds(20), "both supervisors write heartbeats", () -> List.of(first, second).stream()
                .allMatch(s -> Heartbeat.read(ServiceFolder.of(home.resolve("services"), s.record().uuid())).map(Heartbeat::ready).orElse(false)));

        assertThat(deployer.findModelServer("p", null, "tiny", false)).extracting(s -> s.record().status())
                .containsOnly(ServiceStatus.ACTIVE).hasSize(2);

        // service.predict(data), as in ZenML: rows by column name through /invocations, or OIP tensors.
        float[] expected;
        try (LoadedModel loaded = ModelFormats.load().get("xgboost").load(Files.readAllBytes(model), "test", SIGNATURE)) {
            expected = loaded.predict(new FeatureBatch(2, 3, new float[]{0.5f, 0.25f, 0.1f, 0.9f, 0.3f, 0.7f})).values();
        }
        double[] byRows = first.predict(List.of(Map.of("a", 0.5, "b", 0.25, "c", 0.1), Map.of("a", 0.9, "b", 0.3, "c", 0.7))).doubles();
        assertThat(new float[]{(float) byRows[0], (float) byRows[1]}).containsExactly(expected);
        assertThat(first.predict(Tensor.fp32("x", new float[][]{{0.5f, 0.25f, 0.1f}, {0.9f, 0.3f, 0.7f}})).output().floats())
                .containsExactly(expected);

        long serverPid = SupervisorState.read(folder).serverPid();
        ProcessHandle server = ProcessHandle.of(serverPid).orElseThrow();
        signal("STOP", serverPid);
        try {
            Await.until(Duration.ofSeconds(20), "the heartbeat says the frozen server does not answer",
                    () -> Heartbeat.read(folder).map(h -> !h.ready()).orElse(false));
            List<Service> listed = deployer.findModelServer("p", null, "tiny", false);
            assertThat(listed).filteredOn(s -> s.record().uuid().equals(frozen.record().uuid())).singleElement()
                    .extracting(s -> s.record().status()).isEqualTo(ServiceStatus.PENDING_STARTUP);
            assertThat(listed).filteredOn(s -> s.record().uuid().equals(first.record().uuid())).singleElement()
                    .extracting(s -> s.record().status()).isEqualTo(ServiceStatus.ACTIVE);
            assertThat(deployer.findModelServer("p", null, "tiny", true)).extracting(s -> s.record().uuid())
                    .containsExactly(first.record().uuid());
        } finally {
            signal("CONT", serverPid);
        }
        Await.until(Duration.ofSeconds(20), "the thawed server is active again",
                () -> deployer.findModelServer("p", "b", "tiny", true).size() == 1);
        assertThat(server.isAlive()).as("a frozen server is not restarted: it was only slow").isTrue();
    }

    @Test
    void withoutAFreshHeartbeatTheListingProbesTheServerItself() throws Exception {
        metadata = MetadataStore.openSqlite(home.resolve("flywheel.db"));
        // A clock a minute ahead: every heartbeat looks stale, so status comes from the short probe of our own.
        Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(1));
        deployer = new LocalModelDeployer(new ServiceStore(metadata), home.resolve("services"), ProjectSecrets.of(metadata, home), LocalDeployerSettings.defaults(), ahead);
        Path model = tinyModel(home.resolve("model.json"));
        Service s = deployer.deployModel(new DeploymentConfig("tiny", 1, "xgboost", model, SIGNATURE, "p", "r1", "a", 0, sha256(model)), false,
                Duration.ofSeconds(90));
        assertThat(deployer.findModelServer(null, null, null, true)).extracting(x -> x.record().uuid()).containsExactly(s.record().uuid());
        long serverPid = SupervisorState.read(ServiceFolder.of(home.resolve("services"), s.record().uuid())).serverPid();
        signal("STOP", serverPid);
        try {
            long t0 = System.nanoTime();
            assertThat(deployer.findModelServer(null, null, null, false)).extracting(x -> x.record().status())
                    .containsExactly(ServiceStatus.PENDING_STARTUP);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("the probe gives up quickly").isLessThan(Duration.ofSeconds(5));
        } finally {
            signal("CONT", serverPid);
        }
    }

    @Test
    void theDeployersGrpcAndBatchingSettingsReachTheServerAndItsOptionsAreReported() throws Exception {
        metadata = MetadataStore.openSqlite(home.resolve("flywheel.db"));
        LocalDeployerSettings d = LocalDeployerSettings.defaults();
        LocalDeployerSettings settings = new LocalDeployerSettings(d.maxRestarts(), d.restartWindow(), d.initialBackoff(),
                d.serverJvmOptions(), d.host(), true, 8, 2000);
        deployer = new LocalModelDeployer(new ServiceStore(metadata), home.resolve("services"), ProjectSecrets.of(metadata, home), settings, Clock.systemUTC());
        Path model = tinyModel(home.resolve("model.json"));
        Service s = deployer.deployModel(new DeploymentConfig("tiny", 1, "xgboost", model, SIGNATURE, "p", "r1", "a", 0, sha256(model)), false,
                Duration.ofSeconds(90));
        dev.flywheel.deploy.service.ServingOptions options = deployer.get(s.record().uuid().toString()).servingOptions().orElseThrow();
        assertThat(options.batchMaxSize()).isEqualTo(8);
        assertThat(options.batchMaxWaitMicros()).isEqualTo(2000);
        assertThat(options.batching()).contains("up to 8 rows");
        assertThat(options.grpcPort()).isPositive().isNotEqualTo(s.record().port());
        try (java.net.Socket grpc = new java.net.Socket("127.0.0.1", options.grpcPort())) {
            assertThat(grpc.isConnected()).as("the gRPC port listens on loopback").isTrue();
        }
        // Batched or not, each caller gets its own rows' predictions.
        float[] expected;
        try (LoadedModel loaded = ModelFormats.load().get("xgboost").load(Files.readAllBytes(model), "test", SIGNATURE)) {
            expected = loaded.predict(new FeatureBatch(2, 3, new float[]{0.5f, 0.25f, 0.1f, 0.9f, 0.3f, 0.7f})).values();
        }
        List<Thread> callers = new java.util.ArrayList<>();
        java.util.concurrent.ConcurrentLinkedQueue<String> wrong = new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (int i = 0; i < 8; i++) {
            int row = i % 2;
            callers.add(Thread.ofPlatform().start(() -> {
                float[] x = row == 0 ? new float[]{0.5f, 0.25f, 0.1f} : new float[]{0.9f, 0.3f, 0.7f};
                float got = s.predict(Tensor.fp32("x", new float[][]{x})).output().floats()[0];
                if (got != expected[row]) {
                    wrong.add("row " + row + " got " + got);
                }
            }));
        }
        for (Thread t : callers) {
            t.join();
        }
        assertThat(wrong).isEmpty();
        // The defaults serve no gRPC and batch nothing.
        assertThat(LocalDeployerSettings.defaults().serverArgs()).isEmpty();
        assertThatThrownBy(() -> new LocalDeployerSettings(d.maxRestarts(), d.restartWindow(), d.initialBackoff(), d.serverJvmOptions(),
                d.host(), false, -1, 500)).hasMessageContaining("batchMaxSize must be 0..65536");
    }

    static String sha256(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }

    /** A small regressor of y = a + 2b - c on 200 random rows. */
    static Path tinyModel(Path file) throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        float[] x = new float[200 * 3];
        float[] y = new float[200];
        for (int r = 0; r < 200; r++) {
            for (int c = 0; c < 3; c++) {
                x[r * 3 + c] = (float) random.nextDouble();
            }
            y[r] = x[r * 3] + 2 * x[r * 3 + 1] - x[r * 3 + 2];
        }
        Model model = XgboostTrainer.regression(Map.of("max_depth", 3, "eta", 0.3, "nthread", 1), 10)
                .fit(new FeatureBatch(200, 3, x), y, SIGNATURE, "tiny");
        return Files.write(file, model.content());
    }
}
