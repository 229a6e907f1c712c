package dev.flywheel.cli;

import dev.flywheel.deploy.service.Service;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.testkit.SharedData;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;


/** What end-to-end tests with real servers share: the data they need, and no server left behind. */
final class LiveProject {
    private LiveProject() {
    }

    /** Skips the test, saying why, when the shared bike-sharing data is not there. */
    static void assumeBikeData() {
        SharedData.requireBikeSharingHours();
    }

    /** Stops and deletes every service of the project at {@code home}, if it exists. */
    static void deleteServices(Path home) {
        if (!Files.exists(home)) {
            return;
        }
        try (Flywheel flywheel = Flywheel.create(cfg -> cfg.home = home)) {
            for (Service s : flywheel.deployments().list(null, null, null, false)) {
                flywheel.deployments().delete(s.record().uuid(), Duration.ofSeconds(10), true);
            }
        }
    }
}
