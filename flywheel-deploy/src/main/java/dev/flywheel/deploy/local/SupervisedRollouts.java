package dev.flywheel.deploy.local;

import dev.flywheel.deploy.rollout.RegistryRolloutOutcomes;
import dev.flywheel.deploy.rollout.RolloutController;
import dev.flywheel.deploy.rollout.RolloutRecord;
import dev.flywheel.deploy.rollout.RolloutStore;
import dev.flywheel.deploy.service.ServiceStore;
import dev.flywheel.formats.ModelFormats;
import dev.flywheel.registry.ModelRegistry;
import dev.flywheel.store.artifact.local.LocalArtifactStore;
import dev.flywheel.store.metadata.MetadataStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The rollout controller inside a service's supervisor: while the service folder's {@code rollout} marker exists it
 * ticks the {@link RolloutController} every {@link #PASS}, opening the project's metadata store the first time (so a
 * supervisor without a rollout never opens it). A rollout that has ended and is settled removes the marker. A new
 * supervisor (after a restart or an adoption) finds the marker and resumes from the stored rollout.
 */
final class SupervisedRollouts {
    /** How often the controller settles the server and checks whether an analysis is due. */
    static final Duration PASS = Duration.ofMillis(250);
    private static final Logger log = LoggerFactory.getLogger(SupervisedRollouts.class);
    private final ServiceFolder folder;
    private final BooleanSupplier serverRunning;
    private final Supplier<String> adminToken;
    private MetadataStore store;
    private RolloutController controller;
    private String lastProblem;

    SupervisedRollouts(ServiceFolder folder, BooleanSupplier serverRunning, Supplier<String> adminToken) {
        this.folder = folder;
        this.adminToken = adminToken;
        this.serverRunning = serverRunning;
    }

    /** The loop; returns when {@code stopping} says so. */
    void run(BooleanSupplier stopping) {
        try {
            while (!stopping.getAsBoolean()) {
                if (Files.exists(folder.rolloutMarker()) && serverRunning.getAsBoolean()) {
                    pass();
                }
                pause(PASS.toMillis());
            }
        } finally {
            if (store != null) {
                store.close();
            }
        }
    }

    private void pass() {
        try {
            Optional<RolloutRecord> r = controller().tick();
            if (r.isEmpty() || !r.get().state().active()) {
                Files.deleteIfExists(folder.rolloutMarker());
                r.ifPresent(done -> log.info("service={} rollout={} ended {}: {}", folder.uuid(), done.shortId(), done.state().label(), done.reason()));
            }
            lastProblem = null;
        } catch (RuntimeException | IOException e) {
            // A server restarting, a busy store: the next pass tries again; say it once, not four times a second.
            String problem = e.getMessage();
            if (!Objects.equals(problem, lastProblem)) {
                log.warn("service={} rollout pass failed (retrying): {}", folder.uuid(), problem);
                lastProblem = problem;
            }
        }
    }

    private RolloutController controller() {
        if (controller == null) {
            Path project = folder.dir().getParent().getParent();
            requireSqlite(project);
            store = MetadataStore.openSqlite(project.resolve("flywheel.db"));
            ModelRegistry registry = new ModelRegistry(store, new LocalArtifactStore(project.resolve("artifacts")), ModelFormats.of(),
                    Clock.systemUTC());
            LocalRolloutTarget target = new LocalRolloutTarget(folder, adminToken, new ServiceStore(store), HttpClient.newHttpClient(),
                    Clock.systemUTC());
            controller = new RolloutController(new RolloutStore(store), folder.uuid(), target, new RegistryRolloutOutcomes(registry),
                    Clock.systemUTC());
        }
        return controller;
    }

    /** The supervisor opens the project's store itself; the embedded one is a file it can find beside the services. */
    private static void requireSqlite(Path project) {
        Path bootstrap = project.resolve("project.properties");
        if (!Files.exists(bootstrap)) {
            return;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(bootstrap)) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + bootstrap + ": " + e.getMessage());
        }
        String flavor = p.getProperty("metadata-store.flavor", "sqlite").strip();
        if (!flavor.equals("sqlite")) {
            throw new IllegalStateException("rollouts on local services need the sqlite metadata store; this project uses '" + flavor + "'");
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
