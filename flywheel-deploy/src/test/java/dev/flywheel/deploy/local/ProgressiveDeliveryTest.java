package dev.flywheel.deploy.local;

import dev.flywheel.deploy.BikeModels;
import dev.flywheel.deploy.DeployRequest;
import dev.flywheel.deploy.Deployments;
import dev.flywheel.deploy.rollout.AnalysisConfig;
import dev.flywheel.deploy.rollout.RegistryRolloutOutcomes;
import dev.flywheel.deploy.rollout.RolloutPlan;
import dev.flywheel.deploy.rollout.RolloutRecord;
import dev.flywheel.deploy.rollout.RolloutRequest;
import dev.flywheel.deploy.rollout.RolloutState;
import dev.flywheel.deploy.rollout.RolloutStore;
import dev.flywheel.deploy.rollout.Rollouts;
import dev.flywheel.deploy.rollout.StepDecision;
import dev.flywheel.deploy.rollout.Verdict;
import dev.flywheel.deploy.service.Service;
import dev.flywheel.deploy.service.ServiceStore;
import dev.flywheel.formats.ModelFormats;
import dev.flywheel.registry.ModelRef;
import dev.flywheel.registry.ModelRegistry;
import dev.flywheel.registry.Stage;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.serving.api.ServingProtocol;
import dev.flywheel.serving.api.TrafficMode;
import dev.flywheel.serving.api.TrafficReport;
import dev.flywheel.store.artifact.local.LocalArtifactStore;
import dev.flywheel.store.metadata.MetadataStore;
import dev.flywheel.testkit.NoDaemonLeft;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Canary and shadow rollouts end to end, with real supervisor and server processes under continuous load and the
 * controller running in the supervisor: a healthy canary is promoted step by step, a challenger failing 5 % is rolled
 * back at its first analysis, a server killed with -9 mid-canary comes back at the same weight, a shadow never changes
 * an answer. Analyses every few hundred milliseconds (the test-only interval floor) keep it short.
 */
@ExtendWith(NoDaemonLeft.class)
class ProgressiveDeliveryTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path models;
    static Path champion;
    static Path challenger;

    @TempDir
    Path home;
    MetadataStore metadata;
    LocalModelDeployer deployer;
    ModelRegistry registry;
    Deployments deployments;
    Rollouts rollouts;

    @BeforeAll
    static void trainModels() {
        champion = BikeModels.train(2, models.resolve("v1.json"));
        challenger = BikeModels.train(10, models.resolve("v2.json"));
    }

    @BeforeEach
    void open() throws IOException {
        metadata = MetadataStore.openSqlite(home.resolve("flywheel.db"));
        deployer = new LocalModelDeployer(new ServiceStore(metadata), home.resolve("services"), ProjectSecrets.of(metadata, home), LocalDeployerSettings.defaults(), Clock.systemUTC());
        registry = new ModelRegistry(metadata, new LocalArtifactStore(home.resolve("artifacts")), ModelFormats.load(), Clock.systemUTC());
        deployments = new Deployments(registry, deployer);
        rollouts = new Rollouts(new RolloutStore(metadata), deployments, new RegistryRolloutOutcomes(registry), Clock.systemUTC())
                .withIntervalFloorForTestsOnly(Duration.ofMillis(100));
        registry.importModel("bike", "xgboost", champion, BikeModels.SIGNATURE, Map.of(), "test");    // v1
        registry.importModel("bike", "xgboost", challenger, BikeModels.SIGNATURE, Map.of(), "test");  // v2
        Path flaky = Files.writeString(home.resolve("flaky.txt"), "value=42 fail-every=20\n");
        registry.importModel("bike", "flaky", flaky, BikeModels.SIGNATURE, Map.of(), "test");          // v3
        registry.promote("bike", 1, Stage.PRODUCTION, "test");
    }

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

    private static AnalysisConfig analysis(Duration interval) {
        return AnalysisConfig.DEFAULT.withInterval(interval);
    }

    private Service deployChampion() {
        return deployments.deploy(DeployRequest.of(ModelRef.stage("bike", Stage.PRODUCTION), TIMEOUT));
    }

    @Test
    void aHealthyCanaryGoesTenFiftyHundredAndIsPromotedWithNoFailedRequestUnderLoad() throws Exception {
        Service service = deployChampion();
        Load load = new Load(service.predictionUrl(), 3);
        RolloutRecord done;
        try {
            load.await(30);
            RolloutRecord started = rollouts.start(new RolloutRequest(ModelRef.version("bike", 2),
                    RolloutPlan.canary(List.of(10, 50, 100), Duration.ofMillis(600), new AnalysisConfig(Duration.ofMillis(300), 1, 5, 0.01, null, null)),
                    null));
            assertThat(started.state()).isEqualTo(RolloutState.PROGRESSING);
            assertThat(started.weight()).isEqualTo(10);
            done = awaitEnd(started);
            load.awaitVersion("2");
            awaitSettled(service, 2);
        } finally {
            load.stop();
        }
        assertThat(done.state()).as("%s", done).isEqualTo(RolloutState.PROMOTED);
        List<String> actions = done.decisions().stream().map(StepDecision::action).toList();
        assertThat(actions).containsSubsequence("start canary 10%", "next step 50%", "next step 100%", "promote");
        assertThat(done.decisions().stream().filter(d -> d.action().startsWith("next step")))
                .allSatisfy(d -> assertThat(d.checks()).isNotEmpty().allSatisfy(c -> assertThat(c.verdict()).isEqualTo(Verdict.PASS)));
        assertThat(load.failures()).as("failed client requests, first: %s", load.firstFailure()).isZero();
        assertThat(registry.production("bike").orElseThrow().version()).isEqualTo(2);
        assertThat(deployer.get(service.record().uuid().toString()).record().modelVersion()).isEqualTo(2);
        TrafficReport after = deployer.target(service.record().uuid()).report();
        assertThat(after.mode()).isEqualTo(TrafficMode.SINGLE);
        assertThat(after.champion().version()).isEqualTo(2);
    }

    @Test
    void aChallengerFailingFivePercentIsRolledBackAtItsFirstAnalysisAndOnlyItsOwnAnswersFailed() throws Exception {
        Service service = deployChampion();
        Load load = new Load(service.predictionUrl(), 3);
        RolloutRecord done;
        long failedAt;
        try {
            load.await(30);
            RolloutRecord started = rollouts.start(new RolloutRequest(ModelRef.version("bike", 3),
                    RolloutPlan.canary(List.of(50, 100), Duration.ofMinutes(5), new AnalysisConfig(Duration.ofMillis(1500), 1, 20, 0.01, null, null)),
                    null));
            done = awaitEnd(started);
            failedAt = System.nanoTime();
            // the decision is stored first, then applied in the same pass: all traffic on the champion within a second
            await(Duration.ofSeconds(1), () -> deployer.target(service.record().uuid()).report().mode() == TrafficMode.SINGLE);
            assertThat(deployer.target(service.record().uuid()).report().champion().version()).isEqualTo(1);
            load.awaitRequests(30);
        } finally {
            load.stop();
        }
        assertThat(done.state()).as("%s", done).isEqualTo(RolloutState.FAILED);
        StepDecision rollback = done.decisions().getLast();
        assertThat(rollback.action()).isEqualTo("rollback");
        assertThat(rollback.verdict()).isEqualTo(Verdict.FAIL);
        // the first analysis with enough samples is the one that failed: within one interval
        assertThat(done.decisions().stream().filter(d -> !d.checks().isEmpty())).hasSize(1);
        assertThat(rollback.checks().getFirst().check()).isEqualTo("error_rate");
        assertThat(rollback.checks().getFirst().value()).isBetween(0.02, 0.10);
        assertThat(done.reason()).contains("error_rate");
        // zero failures beyond those the bad challenger answered while it held its share
        assertThat(load.failuresBy()).as("failures by version").containsOnlyKeys("3");
        System.out.printf("rollback: %d of %d client requests failed, all answered by the failing challenger (version 3)%n",
                load.failures(), load.requests());
        await(Duration.ofSeconds(5), () -> registry.get("bike", 3).tags().containsKey(RegistryRolloutOutcomes.TAG));
        assertThat(registry.get("bike", 3).tags().get(RegistryRolloutOutcomes.TAG)).startsWith("failed by rollout");
        assertThat(registry.production("bike").orElseThrow().version()).isEqualTo(1);
        assertThat(failedAt).isPositive();
    }

    @Test
    void aServerKilledMidCanaryComesBackAtTheSameWeightAndAnAbortSendsEverythingBack() throws Exception {
        Service service = deployChampion();
        RolloutRecord started = rollouts.start(new RolloutRequest(ModelRef.version("bike", 2),
                RolloutPlan.canary(List.of(30, 100), Duration.ofHours(1), analysis(Duration.ofMillis(200))), null));
        LocalRolloutTarget target = (LocalRolloutTarget) deployer.target(service.record().uuid());
        assertThat(target.report().weight()).isEqualTo(30);
        long serverPid = deployer.get(service.record().uuid().toString()).observe().serverPid();
        ProcessHandle.of(serverPid).orElseThrow().destroyForcibly();
        await(Duration.ofSeconds(60), () -> {
            long now = deployer.get(service.record().uuid().toString()).observe().serverPid();
            if (now == 0 || now == serverPid) {
                return false;
            }
            try {
                TrafficReport r = target.report();
                return r.mode() == TrafficMode.CANARY && r.weight() == 30 && r.challengerVersion() == 2;
            } catch (FlywheelException notYet) {
                return false;
            }
        });
        RolloutRecord resumed = rollouts.status(started.id().toString());
        assertThat(resumed.state()).isIn(RolloutState.PROGRESSING, RolloutState.PAUSED);
        assertThat(resumed.weight()).isEqualTo(30);

        RolloutRecord aborted = rollouts.abort(started.shortId());
        assertThat(aborted.state()).isEqualTo(RolloutState.ABORTED);
        assertThat(target.report().mode()).isEqualTo(TrafficMode.SINGLE);
        assertThat(target.report().champion().version()).isEqualTo(1);
        assertThat(registry.get("bike", 2).tags().get(RegistryRolloutOutcomes.TAG)).startsWith("aborted");
        assertThatThrownBy(() -> rollouts.promote(started.shortId()))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessageContaining("aborted");
    }

    @Test
    void aShadowNeverChangesAnAnswerAndIsPromotedAfterItsDuration() throws Exception {
        Service service = deployChampion();
        Load load = new Load(service.predictionUrl(), 2);
        RolloutRecord done;
        try {
            load.await(20);
            RolloutRecord started = rollouts.start(new RolloutRequest(ModelRef.version("bike", 2),
                    RolloutPlan.shadow(Duration.ofMillis(1500), new AnalysisConfig(Duration.ofMillis(500), 1, 5, 0.01, null, 10.0)), null));
            assertThat(started.weight()).isEqualTo(100);
            done = awaitEnd(started);
            load.awaitVersion("2");
            awaitSettled(service, 2);
        } finally {
            load.stop();
        }
        assertThat(done.state()).as("%s", done).isEqualTo(RolloutState.PROMOTED);
        // no answer came from the challenger before the decision to promote it
        java.time.Instant promotedAt = done.decisions().getLast().at();
        assertThat(load.firstAnswerOf("2")).isAfterOrEqualTo(promotedAt);
        assertThat(done.decisions().stream().flatMap(d -> d.checks().stream()).filter(c -> c.check().equals("prediction_drift")))
                .isNotEmpty().allSatisfy(c -> assertThat(c.value()).isPositive());
        assertThat(load.failures()).as("first: %s", load.firstFailure()).isZero();
        assertThat(registry.production("bike").orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void aRolloutIsRefusedClearlyWhenItCannotStart() {
        assertThatThrownBy(() -> rollouts.start(new RolloutRequest(ModelRef.version("bike", 2), RolloutPlan.canary(List.of(10), Duration.ZERO,
                analysis(Duration.ofSeconds(1))), null)))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessageContaining("No service serves model 'bike'");
        assertThatThrownBy(() -> RolloutPlan.canary(List.of(50, 10), Duration.ZERO, AnalysisConfig.DEFAULT))
                .hasMessageContaining("must grow");
        assertThatThrownBy(() -> RolloutPlan.canary(List.of(0, 100), Duration.ZERO, AnalysisConfig.DEFAULT))
                .hasMessageContaining("from 1 to 100");
        assertThatThrownBy(() -> new Rollouts(new RolloutStore(metadata), deployments, new RegistryRolloutOutcomes(registry), Clock.systemUTC())
                .start(new RolloutRequest(ModelRef.version("bike", 2), RolloutPlan.canary(List.of(10), Duration.ZERO, analysis(Duration.ofSeconds(5))), null)))
                .hasMessageContaining("under the floor of 10 s");
        assertThatThrownBy(() -> rollouts.start(new RolloutRequest(ModelRef.version("bike", 9), RolloutPlan.canary(List.of(10), Duration.ZERO,
                analysis(Duration.ofSeconds(1))), null)))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    private RolloutRecord awaitEnd(RolloutRecord r) throws InterruptedException {
        await(Duration.ofSeconds(60), () -> !rollouts.status(r.id().toString()).state().active());
        return rollouts.status(r.id().toString());
    }

    /** A promotion is stored, then applied: the registry's production stage is the last thing to move. */
    private void awaitSettled(Service service, int version) throws InterruptedException {
        await(Duration.ofSeconds(10), () -> registry.production("bike").map(v -> v.version() == version).orElse(false));
        assertThat(deployer.get(service.record().uuid().toString()).record().modelVersion()).isEqualTo(version);
    }

    static void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        LocalModelDeployerTest.await(timeout, condition);
    }

    /** Client threads, each with its own client key, posting back to back; failures counted by the version that answered. */
    static final class Load {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger requests = new AtomicInteger();
        private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        private final Map<String, java.time.Instant> versions = new ConcurrentHashMap<>();
        private volatile String firstFailure = "";
        private final List<Thread> threads = new ArrayList<>();

        Load(String url, int clients) {
            for (int i = 0; i < clients; i++) {
                String key = "client-" + i;
                threads.add(Thread.ofPlatform().name("load-" + i).start(() -> {
                    int n = 0;
                    while (running.get()) {
                        // a rotating set of keys per thread, so a canary's share is reached by several callers
                        String k = key + "-" + (n++ % 16);
                        try {
                            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                                    .header("Content-Type", "application/json").header(ServingProtocol.CLIENT_HEADER, k)
                                    .POST(HttpRequest.BodyPublishers.ofString(BikeModels.inferBody())).build(), HttpResponse.BodyHandlers.ofString());
                            String v = r.headers().firstValue(ServingProtocol.MODEL_VERSION_HEADER).orElse("?");
                            if (r.statusCode() != 200) {
                                failures.computeIfAbsent(v, x -> new AtomicInteger()).incrementAndGet();
                                if (firstFailure.isEmpty()) {
                                    firstFailure = r.statusCode() + " " + r.body();
                                }
                            } else {
                                versions.putIfAbsent(v, java.time.Instant.now());
                            }
                        } catch (IOException | InterruptedException e) {
                            failures.computeIfAbsent("connection", x -> new AtomicInteger()).incrementAndGet();
                            firstFailure = e.toString();
                        }
                        requests.incrementAndGet();
                        // about 300 requests a second per client: steady load that leaves the 2-core box room for the rest
                        java.util.concurrent.locks.LockSupport.parkNanos(3_000_000);
                    }
                }));
            }
        }

        void await(int n) throws InterruptedException {
            ProgressiveDeliveryTest.await(Duration.ofSeconds(30), () -> requests.get() >= n);
        }

        void awaitRequests(int more) throws InterruptedException {
            int before = requests.get();
            await(before + more);
        }

        void awaitVersion(String v) throws InterruptedException {
            ProgressiveDeliveryTest.await(Duration.ofSeconds(30), () -> versions.containsKey(v));
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(15_000);
            }
        }

        int failures() {
            return failures.values().stream().mapToInt(AtomicInteger::get).sum();
        }

        Map<String, Integer> failuresBy() {
            Map<String, Integer> m = new java.util.TreeMap<>();
            failures.forEach((k, v) -> m.put(k, v.get()));
            return m;
        }

        int requests() {
            return requests.get();
        }

        /** When the first answer of version {@code v} arrived. */
        java.time.Instant firstAnswerOf(String v) {
            return versions.get(v);
        }

        String firstFailure() {
            return firstFailure;
        }
    }
}
