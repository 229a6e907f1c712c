package dev.flywheel.deploy.local;

import dev.flywheel.deploy.BikeModels;
import dev.flywheel.deploy.DeploymentConfig;
import dev.flywheel.deploy.service.ServiceStore;
import dev.flywheel.store.metadata.MetadataStore;
import dev.flywheel.testdb.TestDatabase;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** A deploying process for tests to kill half-way: {@code DeployProcess STORE_SPEC HOME MODEL_FILE} (see TestDatabase.spec). */
public final class DeployProcess {
    private DeployProcess() {
    }

    public static void main(String[] args) {
        Path home = Path.of(args[1]);
        try (MetadataStore metadata = TestDatabase.openSpec(args[0])) {
            LocalModelDeployer deployer = new LocalModelDeployer(new ServiceStore(metadata), home.resolve("services"), ProjectSecrets.of(metadata, home),
                    LocalDeployerSettings.defaults(), Clock.systemUTC());
            deployer.deployModel(new DeploymentConfig("bike", 1, "xgboost", Path.of(args[2]), BikeModels.SIGNATURE,
                    "bike_demand", "run-1", "deploy", 0, LocalModelDeployerTest.sha256(Path.of(args[2]))), true, Duration.ofSeconds(60));
        }
    }
}
