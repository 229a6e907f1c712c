package dev.flywheel.deploy.local;

import dev.flywheel.deploy.BikeModels;
import dev.flywheel.deploy.DeploymentConfig;
import dev.flywheel.deploy.service.Service;
import dev.flywheel.deploy.service.ServiceStatus;
import dev.flywheel.deploy.service.ServiceStore;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.metadata.MetadataStore;
import dev.flywheel.testkit.NoDaemonLeft;
import dev.flywheel.testdb.EveryMetadataStore;
import dev.flywheel.testdb.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;

import static dev.flywheel.deploy.local.LocalModelDeployerTest.await;
import static dev.flywheel.deploy.local.LocalModelDeployerTest.infer;
import static dev.flywheel.deploy.local.LocalModelDeployerTest.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A model file whose bytes are not the ones the registry recorded never serves: not at deploy, not in a hot swap,
 * not when the supervisor restarts a crashed server. The tampered file used is a valid model of the same kind, the
 * dangerous case: it would load and answer with other predictions.
 */
@ExtendWith(NoDaemonLeft.class)
@EveryMetadataStore
class TamperedModelTest {
    @Parameter
    TestDatabase database;

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path models;
    static Path registered;
    static Path other;

    @TempDir
    Path home;
    MetadataStore metadata;
    LocalModelDeployer deployer;

    @BeforeAll
    static void trainModels() {
        registered = BikeModels.train(2, models.resolve("registered.json"));
        other = BikeModels.train(5, models.resolve("other.json"));
    }

    private LocalModelDeployer open(int maxRestarts) {
        metadata = database.open(home);
        LocalDeployerSettings settings = new LocalDeployerSettings(maxRestarts, Duration.ofMinutes(10), Duration.ofMillis(50),
                LocalDeployerSettings.defaults().serverJvmOptions());
        return new LocalModelDeployer(new ServiceStore(metadata), home.resolve("services"), ProjectSecrets.of(metadata, home), settings, Clock.systemUTC());
    }

    @AfterEach
    void deleteEveryService() {
        LocalModelDeployerTest.deleteEveryService(deployer, metadata);
    }

    private static DeploymentConfig config(int version, Path file, String sha256) {
        return new DeploymentConfig("bike", version, "xgboost", file, BikeModels.SIGNATURE, "bike_demand", "run-1", "deploy", 0, sha256);
    }

    @Test
    void deployOfAFileWhoseBytesAreNotTheRegisteredOnesFailsNamingTheVersionAndBothHashes() {
        deployer = open(5);
        assertThatThrownBy(() -> deployer.deployModel(config(3, other, sha256(registered)), false, TIMEOUT))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DEPLOY_FAILED))
                .hasMessageContaining("model 'bike' version 3").hasMessageContaining(sha256(other))
                .hasMessageContaining("registered " + sha256(registered));
        assertThat(deployer.list().getFirst().status()).isInstanceOf(ServiceStatus.Failed.class);
    }

    @Test
    void aHotSwapToATamperedVersionIsRefusedAndTheOldVersionKeepsServing() throws Exception {
        deployer = open(5);
        Service service = deployer.deployModel(config(1, registered, sha256(registered)), true, TIMEOUT);
        assertThatThrownBy(() -> deployer.deployModel(config(2, other, sha256(registered)), true, TIMEOUT))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DEPLOY_FAILED))
                .hasMessageContaining("version 2").hasMessageContaining(sha256(other));
        HttpResponse<String> answer = infer(service.predictionUrl());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("X-Model-Version")).hasValue("1");
    }

    @Test
    void aCopyTamperedAfterDeployIsRefusedWhenTheSupervisorRestartsTheServer() throws Exception {
        deployer = open(1);
        Service service = deployer.deployModel(config(1, registered, sha256(registered)), false, TIMEOUT);
        String url = service.predictionUrl();
        assertThat(infer(url).statusCode()).isEqualTo(200);
        LocalDaemonService live = deployer.get(service.record().uuid().toString());
        Path copy;
        try (var files = Files.list(live.folder().resolve("models").resolve("v1"))) {
            copy = files.filter(f -> f.getFileName().toString().startsWith("model-")).findFirst().orElseThrow();
        }
        Files.copy(other, copy, StandardCopyOption.REPLACE_EXISTING);
        long serverPid = Long.parseLong(Files.readString(live.folder().resolve("server.pid")).strip());
        ProcessHandle.of(serverPid).orElseThrow().destroyForcibly();

        await(Duration.ofSeconds(30), () -> deployer.get(service.record().uuid().toString()).status() instanceof ServiceStatus.Failed);
        ServiceStatus.Failed failed = (ServiceStatus.Failed) deployer.get(service.record().uuid().toString()).status();
        assertThat(failed.lastError()).contains("model 'bike' version 1").contains(sha256(other)).contains("registered " + sha256(registered));
        assertThatThrownBy(() -> infer(url)).isInstanceOf(IOException.class);
    }
}
