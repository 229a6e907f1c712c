package dev.flywheel.deploy.local;

import dev.flywheel.deploy.BikeModels;
import dev.flywheel.deploy.DeploymentConfig;
import dev.flywheel.deploy.service.Service;
import dev.flywheel.deploy.service.ServiceRecord;
import dev.flywheel.deploy.service.ServiceStatus;
import dev.flywheel.deploy.service.ServiceStore;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.metadata.MetadataStore;
import dev.flywheel.testkit.NoDaemonLeft;
import dev.flywheel.testdb.EveryMetadataStore;
import dev.flywheel.testdb.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real daemons: supervisor and prediction server processes on 127.0.0.1, real XGBoost models, real HTTP. */
@ExtendWith(NoDaemonLeft.class)
@EveryMetadataStore
class LocalModelDeployerTest {
    @Parameter
    TestDatabase database;

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    static Path models;
    static Path worse;
    static Path better;
    static Path corrupt;

    @TempDir
    Path home;
    MetadataStore metadata;
    LocalModelDeployer deployer;

    @BeforeAll
    static void trainModels() throws IOException {
        worse = BikeModels.train(2, models.resolve("worse.json"));
        better = BikeModels.train(30, models.resolve("better.json"));
        corrupt = Files.writeString(models.resolve("corrupt.json"), "{\"learner\": not xgboost at all");
    }

    LocalModelDeployer open() {
        metadata = database.open(home);
        return new LocalModelDeployer(new ServiceStore(metadata), home.resolve("services"), ProjectSecrets.of(metadata, home), LocalDeployerSettings.defaults(), Clock.systemUTC());
    }

    @AfterEach
    void deleteEveryService() {
        deleteEveryService(deployer, metadata);
    }

    static void deleteEveryService(LocalModelDeployer deployer, MetadataStore metadata) {
        if (deployer != null) {
            for (LocalDaemonService s : deployer.list()) {
                deployer.deleteService(s.record().uuid(), Duration.ofSeconds(10), true);
            }
        }
        if (metadata != null) {
            metadata.close();
        }
    }

    static DeploymentConfig config(int version, Path file) {
        return new DeploymentConfig("bike", version, "xgboost", file, BikeModels.SIGNATURE, "bike_demand", "run-1", "deploy", 0,
                Files.exists(file) ? sha256(file) : null);
    }

    @Test
    void replaceUnderLoadFailsNoRequestAndAnUnloadableVersionLeavesTheOldOneServing() throws Exception {
        deployer = open();
        long t0 = System.nanoTime();
        Service service = deployer.deployModel(config(1, worse), true, TIMEOUT);
        HttpResponse<String> first = infer(service.predictionUrl());
        long newServerMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.headers().firstValue("X-Model-Version")).hasValue("1");
        assertThat(service.record().predictionUrl()).matches("http://127\\.0\\.0\\.1:\\d+/v2/models/bike/infer");
        // The admin token is in the secrets store, not in the folder (AdminTokenTest follows it everywhere).
        assertThat(deployer.get(service.record().uuid().toString()).folder().resolve("admin-token")).doesNotExist();
        assertThat(ProjectSecrets.in(metadata, home).describe(AdminTokens.secretName(service.record().uuid()))).isPresent();

        Load load = new Load(service.predictionUrl(), 3);
        try {
            load.awaitRequests(50);
            long t1 = System.nanoTime();
            Service replaced = deployer.deployModel(config(2, better), true, TIMEOUT);
            HttpResponse<String> after = infer(replaced.predictionUrl());
            long replaceMs = (System.nanoTime() - t1) / 1_000_000;
            assertThat(after.headers().firstValue("X-Model-Version")).hasValue("2");
            assertThat(replaced.record().uuid()).isEqualTo(service.record().uuid());
            assertThat(replaced.predictionUrl()).isEqualTo(service.predictionUrl());
            load.awaitVersion("2");
            System.err.printf("deploy timing: new server %d ms, replace %d ms%n", newServerMs, replaceMs);
        } finally {
            load.stop();
        }
        assertThat(load.failures()).as(load.firstFailure()).isZero();
        assertThat(load.versions()).contains("1", "2");
        assertThat(load.requests()).isGreaterThan(50);

        assertThatThrownBy(() -> deployer.deployModel(config(3, corrupt), true, TIMEOUT))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DEPLOY_FAILED))
                .hasMessageContaining("version 3 was rejected").hasMessageContaining("HTTP 422").hasMessageContaining("version 2 keeps serving");
        assertThat(infer(service.predictionUrl()).headers().firstValue("X-Model-Version")).hasValue("2");
        ServiceRecord kept = deployer.get(service.record().uuid().toString()).record();
        assertThat(kept.modelVersion()).isEqualTo(2);
        assertThat(kept.lastError()).contains("version 3");

        List<Service> servers = deployer.findModelServer("bike_demand", "deploy", "bike", true);
        assertThat(servers).hasSize(1);
    }

    @Test
    void killedServerIsRestartedBySupervisorWithTheReasonAndALaterProcessReattaches() throws Exception {
        deployer = open();
        Service service = deployer.deployModel(config(1, worse), false, TIMEOUT);
        deployer.deployModel(config(2, better), true, TIMEOUT);
        Path folder = deployer.get(service.record().uuid().toString()).folder();
        long serverPid = Long.parseLong(Files.readString(folder.resolve("server.pid")).strip());
        assertThat(ProcessHandle.of(serverPid)).isPresent();

        ProcessHandle.of(serverPid).orElseThrow().destroyForcibly();
        long killedAt = System.nanoTime();
        // A different process's view: a fresh store and deployer re-attach from the row and the folder.
        metadata.close();
        deployer = open();
        String prefix = service.record().uuid().toString().substring(0, 8);
        await(Duration.ofSeconds(30), () -> {
            LocalDaemonService s = deployer.get(prefix);
            return s.status() instanceof ServiceStatus.Active && s.record().restartCount() == 1;
        });
        System.err.printf("restart after kill -9: %d ms%n", (System.nanoTime() - killedAt) / 1_000_000);
        ServiceRecord r = deployer.get(prefix).record();
        assertThat(r.lastError()).contains("exited with code 137 (SIGKILL)");
        assertThat(r.restartCount()).isEqualTo(1);
        HttpResponse<String> answer = infer(r.predictionUrl());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("X-Model-Version")).as("the restart serves the swapped-in version").hasValue("2");

        LocalDaemonService s = deployer.get(prefix);
        s.stop(Duration.ofSeconds(20), false);
        assertThat(s.status()).isEqualTo(ServiceStatus.INACTIVE);
        assertThat(s.isRunning()).isFalse();
        s.start(TIMEOUT);
        // start() returned on an answer; a later status probe on a loaded machine may miss its 500 ms window once
        await(Duration.ofSeconds(10), s::isRunning);
        assertThat(s.predictionUrl()).isEqualTo(r.predictionUrl());
    }

    @Test
    void newServiceWhoseModelCannotLoadIsInErrorWithTheLoadersMessage() {
        deployer = open();
        assertThatThrownBy(() -> deployer.deployModel(config(1, corrupt), false, TIMEOUT))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DEPLOY_FAILED))
                .hasMessageContaining("could not start").hasMessageContaining("before it was ready");
        LocalDaemonService failed = deployer.list().getFirst();
        assertThat(failed.status()).isInstanceOfSatisfying(ServiceStatus.Failed.class,
                f -> assertThat(f.lastError()).contains("is not a readable XGBoost model").contains("before it was ready"));
        assertThat(failed.isFailed()).isTrue();
    }

    @Test
    void deployerKilledMidDeployLeavesAStateTheNextOneCompletesWithoutASecondServer() throws Exception {
        deployer = open();
        Process cli = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), DeployProcess.class.getName(), database.spec(home), home.toString(), worse.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            // Kill it as soon as the service row exists: mid-deploy, before the server is healthy.
            await(Duration.ofSeconds(30), () -> !deployer.list().isEmpty() || !cli.isAlive());
            cli.destroyForcibly().waitFor();
        } finally {
            cli.destroyForcibly();
        }
        List<LocalDaemonService> seen = deployer.list();
        assertThat(seen).hasSize(1);
        assertThat(seen.getFirst().status()).isInstanceOfAny(ServiceStatus.PendingStartup.class, ServiceStatus.Active.class,
                ServiceStatus.Failed.class);

        Service completed = deployer.deployModel(config(1, worse), true, TIMEOUT);
        assertThat(completed.record().uuid()).isEqualTo(seen.getFirst().record().uuid());
        assertThat(deployer.findModelServer("bike_demand", "deploy", "bike", false)).hasSize(1);
        assertThat(infer(completed.predictionUrl()).statusCode()).isEqualTo(200);
    }

    @Test
    void requestedPortAlreadyTakenIsAClearErrorAndStartsNothing() throws IOException {
        deployer = open();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> deployer.deployModel(config(1, worse).withPort(taken.getLocalPort()), false, TIMEOUT))
                    .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                    .hasMessageContaining("Port " + taken.getLocalPort() + " on 127.0.0.1 is already in use")
                    .hasMessageContaining("--port");
        }
        assertThat(deployer.list()).isEmpty();
    }

    @Test
    void missingModelFileIsRejectedWithItsPath() {
        deployer = open();
        Path missing = models.resolve("nope.json");
        assertThatThrownBy(() -> deployer.deployModel(config(1, missing), false, TIMEOUT))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining(missing.toString());
    }

    @Test
    void unknownOrAmbiguousServiceIdsAreClearErrors() {
        deployer = open();
        assertThatThrownBy(() -> deployer.get("abc123")).isInstanceOfSatisfying(FlywheelException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND)).hasMessageContaining("served-models list");
        assertThatThrownBy(() -> deployer.get("not-a-uuid!")).hasMessageContaining("UUIDs");
    }

    /** The sha256 the registry would record for {@code file}. */
    static String sha256(Path file) {
        try {
            return dev.flywheel.formats.ModelChecksum.of(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static HttpResponse<String> infer(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BikeModels.inferBody())).build(), HttpResponse.BodyHandlers.ofString());
    }

    static void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.onSpinWait();
            Thread.sleep(50);
        }
    }

    /** Client threads posting predictions back to back, counting failures and the versions that answered. */
    static final class Load {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger requests = new AtomicInteger();
        private final AtomicInteger failures = new AtomicInteger();
        private final AtomicReference<String> firstFailure = new AtomicReference<>("");
        private final Set<String> versions = ConcurrentHashMap.newKeySet();
        private final List<Thread> threads = new ArrayList<>();

        Load(String url, int clients) {
            for (int i = 0; i < clients; i++) {
                threads.add(Thread.ofPlatform().name("load-" + i).start(() -> {
                    while (running.get()) {
                        try {
                            HttpResponse<String> r = infer(url);
                            requests.incrementAndGet();
                            if (r.statusCode() != 200) {
                                failures.incrementAndGet();
                                firstFailure.compareAndSet("", r.statusCode() + " " + r.body());
                            } else {
                                r.headers().firstValue("X-Model-Version").ifPresent(versions::add);
                            }
                        } catch (IOException | InterruptedException e) {
                            requests.incrementAndGet();
                            failures.incrementAndGet();
                            firstFailure.compareAndSet("", e.toString());
                        }
                    }
                }));
            }
        }

        void awaitRequests(int n) throws InterruptedException {
            await(Duration.ofSeconds(20), () -> requests.get() >= n);
        }

        void awaitVersion(String v) throws InterruptedException {
            int before = requests.get();
            await(Duration.ofSeconds(20), () -> versions.contains(v) && requests.get() > before + 20);
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(15_000);
            }
        }

        int failures() {
            return failures.get();
        }

        int requests() {
            return requests.get();
        }

        String firstFailure() {
            return firstFailure.get();
        }

        Set<String> versions() {
            return versions;
        }
    }
}
