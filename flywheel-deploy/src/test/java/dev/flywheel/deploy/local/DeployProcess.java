package dev.flywheel.deploy.local;

import dev.flywheel.deploy.BikeModels;
import dev.flywheel.deploy.DeploymentConfig;
import dev.flywheel.deploy.service.ServiceStore;
import dev.flywheel.store.metadata.MetadataStore;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** A deploying process for tests to kill half-way: {@code DeployProcess HOME MODEL_FILE}. */
public final class DeployProcess {
    private DeployProcess() {
    }

    public static void main(String[] args) {
        Path home = Path.of(args[0]);
        try (MetadataStore metadata = MetadataStore.openSqlite(home.resolve("flywheel.db"))) {
            LocalModelDeployer deployer = new LocalModelDeployer(new ServiceStore(metadata), home.resolve("services"),
                    LocalDeployerSettings.defaults(), Clock.systemUTC());
            deployer.deployModel(new DeploymentConfig("bike", 1, "xgboost", Path.of(args[1]), BikeModels.SIGNATURE,
                    "bike_demand", "run-1", "deploy", 0, LocalModelDeployerTest.sha256(Path.of(args[1]))), true, Duration.ofSeconds(60));
        }
    }
}
