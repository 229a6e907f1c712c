package dev.flywheel.deploy.local;

import dev.flywheel.deploy.BikeModels;
import dev.flywheel.deploy.DeployRequest;
import dev.flywheel.deploy.Deployments;
import dev.flywheel.deploy.Rollout;
import dev.flywheel.deploy.ServiceView;
import dev.flywheel.deploy.service.Service;
import dev.flywheel.deploy.service.ServiceRecord;
import dev.flywheel.deploy.service.ServiceStatus;
import dev.flywheel.deploy.service.ServiceStore;
import dev.flywheel.formats.ModelFormats;
import dev.flywheel.registry.ModelRef;
import dev.flywheel.registry.ModelRegistry;
import dev.flywheel.registry.Stage;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.artifact.local.LocalArtifactStore;
import dev.flywheel.store.metadata.MetadataStore;
import dev.flywheel.testkit.NoDaemonLeft;
import dev.flywheel.testdb.EveryMetadataStore;
import dev.flywheel.testdb.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.flywheel.deploy.local.LocalModelDeployerTest.await;
import static dev.flywheel.deploy.local.LocalModelDeployerTest.infer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One truth, with real registry, real supervisor and server processes: registry changes reach the servers that follow
 * them (hot swaps under load), {@code --replace} switches the server that serves a model whichever step started it,
 * mismatches are visible, a killed supervisor's server is re-adopted, and a served version cannot be deleted by accident.
 */
@ExtendWith(NoDaemonLeft.class)
@EveryMetadataStore
class RolloutTest {
    @Parameter
    TestDatabase database;

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path models;
    static Path worse;
    static Path better;

    @TempDir
    Path home;
    MetadataStore metadata;
    LocalModelDeployer deployer;
    ModelRegistry registry;
    Deployments deployments;

    @BeforeAll
    static void trainModels() {
        worse = BikeModels.train(2, models.resolve("worse.json"));
        better = BikeModels.train(30, models.resolve("better.json"));
    }

    @BeforeEach
    void open() {
        metadata = database.open(home);
        deployer = new LocalModelDeployer(new ServiceStore(metadata), home.resolve("services"), ProjectSecrets.of(metadata, home), LocalDeployerSettings.defaults(), Clock.systemUTC());
        registry = new ModelRegistry(metadata, new LocalArtifactStore(home.resolve("artifacts")), ModelFormats.load(), Clock.systemUTC());
        deployments = new Deployments(registry, deployer);
        registry.importModel("bike", "xgboost", worse, BikeModels.SIGNATURE, Map.of(), "test");   // v1
        registry.importModel("bike", "xgboost", better, BikeModels.SIGNATURE, Map.of(), "test");  // v2
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

    @Test
    void aPromoteReachesTheServerAndARollbackSwapsBackWithNoFailedRequestUnderLoad() throws Exception {
        registry.promote("bike", 1, Stage.PRODUCTION, "test");
        Service following = deployments.deploy(DeployRequest.of(ModelRef.stage("bike", Stage.PRODUCTION), TIMEOUT));
        Service fixed = deployments.deploy(DeployRequest.of(ModelRef.version("bike", 1), TIMEOUT).asNew("bike-v1", 0));
        assertThat(following.record().config().follows()).isEqualTo("production");
        assertThat(fixed.record().name()).isEqualTo("bike-v1");

        LocalModelDeployerTest.Load load = new LocalModelDeployerTest.Load(following.predictionUrl(), 3);
        Deployments.Change promoted;
        Deployments.Change rolledBack;
        try {
            load.awaitRequests(30);
            promoted = deployments.promote("bike", 2, Stage.PRODUCTION, "test", true, TIMEOUT);
            load.awaitVersion("2");
            rolledBack = deployments.rollback("bike", "test", true, TIMEOUT);
            assertThat(infer(following.predictionUrl()).headers().firstValue("X-Model-Version")).hasValue("1");
            load.awaitRequests(load.requests() + 20);
        } finally {
            load.stop();
        }
        assertThat(load.failures()).as(load.firstFailure()).isZero();
        assertThat(load.versions()).containsExactlyInAnyOrder("1", "2");

        assertThat(promoted.transition().leftProduction()).containsExactly(1);
        assertThat(promoted.rollout().orElseThrow().changes()).singleElement().satisfies(c -> {
            assertThat(c.outcome()).isEqualTo(Rollout.Outcome.SWAPPED);
            assertThat(c.from()).isEqualTo(1);
            assertThat(c.to()).isEqualTo(2);
            assertThat(c.describe()).contains("follows production").contains("1 -> 2, hot-swapped");
        });
        assertThat(rolledBack.transition().version().version()).isEqualTo(1);
        assertThat(rolledBack.rollout().orElseThrow().changes()).extracting(Rollout.ServiceChange::outcome).containsExactly(Rollout.Outcome.SWAPPED);
        assertThat(infer(fixed.predictionUrl()).headers().firstValue("X-Model-Version")).as("a fixed service is left alone").hasValue("1");
        assertThat(deployments.views(null, null, "bike", false)).allSatisfy(v -> assertThat(v.inSync()).isTrue());
    }

    @Test
    void replaceSwitchesThePipelinesServiceAndAMismatchIsVisibleUntilRolledOut() throws Exception {
        Deployments.Release release = deployments.deployAndPromote(registry.get("bike", 1), "bike_ct", "run-1", "gate", "gate:test", TIMEOUT);
        Service pipelines = release.service();
        assertThat(release.promotion().version().stage()).isEqualTo(Stage.PRODUCTION);
        assertThat(pipelines.record().config().follows()).isEqualTo("production");

        // The registry alone moves: the server still serves v1, and says so.
        registry.promote("bike", 2, Stage.PRODUCTION, "someone");
        ServiceView behind = deployments.view(deployer.get(pipelines.record().uuid().toString()));
        assertThat(behind.inSync()).isFalse();
        assertThat(behind.expectedVersion()).isEqualTo(2);
        assertThat(behind.mismatch()).isEqualTo("production is version 2, the service serves version 1");
        Rollout synced = deployments.rollOut("bike", TIMEOUT);
        assertThat(synced.changes()).extracting(Rollout.ServiceChange::outcome).containsExactly(Rollout.Outcome.SWAPPED);
        assertThat(deployments.view(deployer.get(pipelines.record().uuid().toString())).inSync()).isTrue();

        // models deploy bike 1 --replace: the pipeline's server switches; still one server, still the pipeline's.
        Service replaced = deployments.deploy(DeployRequest.of(ModelRef.version("bike", 1), TIMEOUT).replacing(null));
        assertThat(replaced.record().uuid()).isEqualTo(pipelines.record().uuid());
        assertThat(replaced.record().pipelineName()).isEqualTo("bike_ct");
        assertThat(replaced.record().config().follows()).isEqualTo("1");
        assertThat(deployer.list()).hasSize(1);
        assertThat(infer(replaced.predictionUrl()).headers().firstValue("X-Model-Version")).hasValue("1");

        assertThatThrownBy(() -> deployments.deploy(DeployRequest.of(ModelRef.version("bike", 2), TIMEOUT)))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessageContaining("is served already by service " + pipelines.record().uuid())
                .hasMessageContaining("--replace").hasMessageContaining("--new").hasMessageContaining("--as bike-v2");
        Service second = deployments.deploy(DeployRequest.of(ModelRef.version("bike", 2), TIMEOUT).asNew("bike-v2", 0));
        assertThat(infer(second.predictionUrl()).headers().firstValue("X-Model-Version")).hasValue("2");
        assertThat(deployments.get("bike-v2").record().uuid()).isEqualTo(second.record().uuid());
        assertThatThrownBy(() -> deployments.deploy(DeployRequest.of(ModelRef.version("bike", 2), TIMEOUT).asNew("bike-v2", 0)))
                .hasMessageContaining("A service named 'bike-v2' exists already");
        assertThatThrownBy(() -> deployments.deploy(DeployRequest.of(ModelRef.version("bike", 2), TIMEOUT).replacing(null)))
                .hasMessageContaining("is served by 2 services").hasMessageContaining("--service");
        assertThat(deployments.deploy(DeployRequest.of(ModelRef.version("bike", 1), TIMEOUT).replacing("bike-v2")).record().uuid())
                .isEqualTo(second.record().uuid());
        assertThatThrownBy(() -> new DeployRequest(ModelRef.version("bike", 1), true, null, true, null, 0, TIMEOUT))
                .hasMessageContaining("give one of them");
        assertThatThrownBy(() -> DeployRequest.of(ModelRef.version("bike", 1), TIMEOUT).asNew("no spaces", 0)).hasMessageContaining("not valid");

        // Version 1 is served by both now: deleting it is refused, with --force it goes and the servers are named.
        registry.promote("bike", 2, Stage.PRODUCTION, "test");
        assertThatThrownBy(() -> deployments.deleteVersion("bike", 1, false, "test"))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessageContaining("Version 1 of model 'bike' is served by service ")
                .hasMessageContaining("service " + pipelines.record().uuid()).hasMessageContaining("service bike-v2").hasMessageContaining("--force");
        assertThat(registry.get("bike", 1)).isNotNull();
        List<ServiceRecord> still = deployments.deleteVersion("bike", 1, true, "test");
        assertThat(still).extracting(ServiceRecord::uuid).containsExactlyInAnyOrder(pipelines.record().uuid(), second.record().uuid());
        assertThat(infer(second.predictionUrl()).statusCode()).as("it keeps serving its own copy").isEqualTo(200);
    }

    @Test
    void aKilledSupervisorsServerIsReadoptedAndAReplaceUnderLoadIsAHotSwap() throws Exception {
        Service service = deployments.deploy(DeployRequest.of(ModelRef.version("bike", 1), TIMEOUT));
        long supervisor = service.record().pid();
        long server = service.record().serverPid();
        assertThat(supervisor).isPositive();
        assertThat(server).isPositive().isNotEqualTo(supervisor);
        ProcessHandle.of(supervisor).orElseThrow().destroyForcibly();
        await(Duration.ofSeconds(10), () -> ProcessHandle.of(supervisor).map(p -> !p.isAlive()).orElse(true));

        // The next command (a fresh deployer, as another process would be) observes: the server answers, so it is adopted.
        metadata.close();
        open();
        LocalDaemonService seen = deployer.get(service.record().uuid().toString());
        assertThat(seen.status()).isEqualTo(ServiceStatus.ACTIVE);
        long adopter = seen.record().pid();
        assertThat(adopter).isPositive().isNotEqualTo(supervisor);
        assertThat(seen.record().serverPid()).isEqualTo(server);
        Path supervisorLog = seen.supervisorLog();
        await(Duration.ofSeconds(30), () -> {
            try {
                return Files.readString(supervisorLog).contains("adopted the running server pid=" + server);
            } catch (java.io.IOException e) {
                return false;
            }
        });

        LocalModelDeployerTest.Load load = new LocalModelDeployerTest.Load(service.predictionUrl(), 3);
        try {
            load.awaitRequests(30);
            deployments.deploy(DeployRequest.of(ModelRef.version("bike", 2), TIMEOUT).replacing(null));
            load.awaitVersion("2");
        } finally {
            load.stop();
        }
        assertThat(load.failures()).as(load.firstFailure()).isZero();
        assertThat(ProcessHandle.of(server).map(ProcessHandle::isAlive)).as("a hot swap, not a restart").hasValue(true);

        // The adopting supervisor watches the server it did not start: a crash is restarted, serving the swapped-in version.
        ProcessHandle.of(server).orElseThrow().destroyForcibly();
        try {
            await(Duration.ofSeconds(30), () -> {
                LocalDaemonService s = deployer.get(service.record().uuid().toString());
                return s.status() instanceof ServiceStatus.Active && s.record().restartCount() == 1;
            });
        } catch (AssertionError e) {
            Path folder = deployer.get(service.record().uuid().toString()).folder();
            throw new AssertionError(e.getMessage() + "; record " + deployer.get(service.record().uuid().toString()).record()
                    + "\nstate " + Files.readString(folder.resolve("state.json")) + "\nsupervisor.log:\n" + Files.readString(folder.resolve("supervisor.log")), e);
        }
        ServiceRecord after = deployer.get(service.record().uuid().toString()).record();
        assertThat(after.lastError()).contains("the adopted prediction server (pid " + server + ") exited");
        assertThat(after.pid()).isEqualTo(adopter);
        assertThat(infer(after.predictionUrl()).headers().firstValue("X-Model-Version")).hasValue("2");
    }
}
