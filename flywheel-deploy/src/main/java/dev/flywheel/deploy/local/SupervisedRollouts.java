package dev.flywheel.deploy.local;

import dev.flywheel.deploy.rollout.RegistryRolloutOutcomes;
import dev.flywheel.deploy.rollout.RolloutController;
import dev.flywheel.deploy.rollout.RolloutOutcomes;
import dev.flywheel.deploy.rollout.RolloutProject;
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
import java.util.ServiceLoader;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The rollout controller inside a service's supervisor: while the service folder's {@code rollout} marker exists it
 * ticks the {@link RolloutController} every {@link #PASS}, opening the project the first time (so a supervisor without
 * a rollout never opens it): its configured metadata store (SQLite or PostgreSQL) and its alerter, through the
 * runtime's {@link RolloutProject.Opener}. A rollout that has ended and is settled removes the marker. A new
 * supervisor (after a restart or an adoption) finds the marker and resumes from the stored rollout.
 */
final class SupervisedRollouts {
    /** How often the controller settles the server and checks whether an analysis is due. */
    static final Duration PASS = Duration.ofMillis(250);
    private static final Logger log = LoggerFactory.getLogger(SupervisedRollouts.class);
    private final ServiceFolder folder;
    private final BooleanSupplier serverRunning;
    private final Supplier<String> adminToken;
    private RolloutProject project;
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
            if (project != null) {
                project.close();
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
            Path home = folder.dir().getParent().getParent();
            project = open(home);
            LocalRolloutTarget target = new LocalRolloutTarget(folder, adminToken, new ServiceStore(project.metadata()), HttpClient.newHttpClient(),
                    Clock.systemUTC());
            controller = new RolloutController(new RolloutStore(project.metadata()), folder.uuid(), target, project.outcomes(), Clock.systemUTC());
        }
        return controller;
    }

    /**
     * The project as its configuration says (the runtime's opener, found on the class path the supervisor was given); a
     * class path without the runtime (the deployer's own tests) gets the embedded SQLite store and the registry's outcomes.
     */
    private static RolloutProject open(Path home) {
        Optional<RolloutProject.Opener> opener = ServiceLoader.load(RolloutProject.Opener.class).findFirst();
        if (opener.isPresent()) {
            return opener.get().open(home);
        }
        requireSqlite(home);
        MetadataStore store = MetadataStore.openSqlite(home.resolve("flywheel.db"));
        ModelRegistry registry = new ModelRegistry(store, new LocalArtifactStore(home.resolve("artifacts")), ModelFormats.of(), Clock.systemUTC());
        return new EmbeddedProject(store, new RegistryRolloutOutcomes(registry));
    }

    /** The embedded store of a project opened without the runtime. */
    private record EmbeddedProject(MetadataStore metadata, RolloutOutcomes outcomes) implements RolloutProject {
        @Override
        public void close() {
            metadata.close();
        }
    }

    /** Without the runtime the supervisor can only open the embedded store, a file it finds beside the services. */
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
            throw new IllegalStateException("this supervisor's class path has no Flywheel runtime to open the '" + flavor
                    + "' metadata store; it opens only the embedded sqlite one");
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
