package dev.flywheel.deploy.local;

import dev.flywheel.deploy.DeploymentConfig;
import dev.flywheel.deploy.service.DesiredState;
import dev.flywheel.deploy.service.ServiceAction;
import dev.flywheel.deploy.service.ServiceJson;
import dev.flywheel.deploy.service.ServiceRecord;
import dev.flywheel.deploy.service.ServiceStatus;
import dev.flywheel.deploy.service.ServiceStore;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.ModelSignature;
import dev.flywheel.sdk.secret.SecretsStore;
import dev.flywheel.store.metadata.MetadataStore;
import dev.flywheel.daemon.ProcessId;
import dev.flywheel.testkit.Await;
import dev.flywheel.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A local service's state as data: {@code observe()} reads what runs and changes nothing (no file, no row), and
 * {@code reconcile()} acts on it and returns what it did, nothing the second time. No processes here: the folder
 * says what a supervisor would have left (killed, failed, a swap cut off), on a real SQLite store.
 */
class ServiceStateTest {
    private static final ModelSignature SIGNATURE = ModelSignature.regression(List.of("a", "b"));
    private final MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");

    @TempDir
    Path home;
    MetadataStore metadata;
    ServiceStore store;
    SecretsStore secrets;

    @BeforeEach
    void open() {
        metadata = MetadataStore.openSqlite(home.resolve("flywheel.db"));
        store = new ServiceStore(metadata);
        secrets = ProjectSecrets.in(metadata, home);
    }

    @AfterEach
    void close() {
        metadata.close();
    }

    private DeploymentConfig config(int version) {
        return new DeploymentConfig("tiny", version, "xgboost", home.resolve("model.json"), SIGNATURE, "p", "r1", "train", 0, "ab".repeat(32));
    }

    private LocalDaemonService service(DesiredState desired, ServiceStatus status, long supervisorPid) throws IOException {
        UUID uuid = UUID.randomUUID();
        ServiceFolder folder = ServiceFolder.of(home.resolve("services"), uuid);
        Files.createDirectories(folder.dir());
        ServiceFolder.writeAtomically(folder.config(), ServiceJson.config(config(1)));
        if (supervisorPid > 0) {
            ServiceFolder.writeAtomically(folder.supervisorPid(), supervisorPid + "\n");
        }
        ServiceRecord record = new ServiceRecord(uuid, "local", config(1), desired, status, null, null, 0, 0, 0, clock.instant(),
                clock.instant(), null, 0);
        store.insert(record);
        return new LocalDaemonService(record, store, folder, LocalDeployerSettings.defaults(),
                new AdminTokens(() -> secrets), HttpClient::newHttpClient, clock);
    }

    /** Every file of the service's folder with its content and modification time. */
    private static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                FileTime modified = Files.getLastModifiedTime(p);
                files.put(dir.relativize(p).toString(), Files.readString(p) + "@" + modified.toMillis());
            }
        }
        return files;
    }

    @Test
    void observeChangesNothingAndReconcileRecordsWhatItSawOnce() throws Exception {
        // a supervisor that is gone (the pid of a process that has ended)
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        LocalDaemonService service = service(DesiredState.RUNNING, ServiceStatus.PENDING_STARTUP, gone.pid());
        Map<String, String> before = snapshot(service.folder());

        Observation first = service.observe();
        Observation second = service.observe();
        assertThat(second).isEqualTo(first);
        assertThat(first.status()).isInstanceOfSatisfying(ServiceStatus.Failed.class,
                f -> assertThat(f.lastError()).contains("the supervisor (pid " + gone.pid() + ") is not running"));
        assertThat(first.supervisorPid()).isZero();
        assertThat(first.orphanServing()).isFalse();
        assertThat(snapshot(service.folder())).as("observe writes no file").isEqualTo(before);
        assertThat(store.find(service.record().uuid()).orElseThrow().status()).as("observe writes no row").isEqualTo(ServiceStatus.PENDING_STARTUP);

        List<ServiceAction> actions = service.reconcile();
        assertThat(actions).containsExactly(new ServiceAction.Recorded(first.status()));
        assertThat(store.find(service.record().uuid()).orElseThrow().status()).isEqualTo(first.status());
        assertThat(service.reconcile()).as("nothing left to do").isEmpty();
        assertThat(service.status()).isEqualTo(first.status());
    }

    @Test
    void aStoppedServiceIsInactiveAndAFailedSupervisorsReasonIsTheStatus() throws Exception {
        LocalDaemonService stopped = service(DesiredState.STOPPED, ServiceStatus.ACTIVE, 0);
        assertThat(stopped.observe().status()).isEqualTo(ServiceStatus.INACTIVE);
        assertThat(stopped.reconcile()).containsExactly(new ServiceAction.Recorded(ServiceStatus.INACTIVE));

        LocalDaemonService failed = service(DesiredState.RUNNING, ServiceStatus.ACTIVE, 0);
        new SupervisorState(SupervisorPhase.FAILED, 0, 0, 5, "the server crashed; gave up after 5 restarts within 600 s")
                .write(ServiceFolder.of(home.resolve("services"), failed.record().uuid()));
        Observation seen = failed.observe();
        assertThat(seen.status()).isEqualTo(new ServiceStatus.Failed("the server crashed; gave up after 5 restarts within 600 s"));
        assertThat(seen.restarts()).isEqualTo(5);
        assertThat(failed.reconcile()).containsExactly(new ServiceAction.Recorded(seen.status()));
        assertThat(store.find(failed.record().uuid()).orElseThrow().restartCount()).isEqualTo(5);
    }

    @Test
    void aSwapCutOffWithNothingServingIsDroppedAndSaidSo() throws Exception {
        LocalDaemonService service = service(DesiredState.RUNNING, ServiceStatus.PENDING_STARTUP, 0);
        ServiceFolder folder = ServiceFolder.of(home.resolve("services"), service.record().uuid());
        ServiceFolder.writeAtomically(folder.pending(), ServiceJson.config(config(2)));

        assertThat(service.observe().swapPending()).isTrue();
        assertThat(Files.exists(folder.pending())).as("observe leaves the pending swap alone").isTrue();

        List<ServiceAction> actions = service.reconcile();
        assertThat(actions).first().isEqualTo(new ServiceAction.SwapSettled(2, false));
        assertThat(Files.exists(folder.pending())).isFalse();
        assertThat(service.record().modelVersion()).as("the record keeps the version that was served").isEqualTo(1);
        assertThat(service.observe().swapPending()).isFalse();
    }

    @Test
    void anOlderTokenFileMovesIntoTheSecretsStoreAndIsDeletedOnceNoOlderSupervisorReadsIt() throws Exception {
        LocalDaemonService service = service(DesiredState.RUNNING, ServiceStatus.ACTIVE, 0);
        UUID id = service.record().uuid();
        ServiceFolder folder = ServiceFolder.of(home.resolve("services"), id);
        Files.writeString(folder.olderAdminToken(), "older-token\n");
        // A supervisor of the older Flywheel still runs: a process whose command line names the service.
        // (the ':' keeps the shell from exec'ing sleep, which would drop the uuid from the command line)
        Process older = new ProcessBuilder("sh", "-c", "sleep 60; :", id.toString()).start();
        try {
            Await.until(Duration.ofSeconds(10), "the process runs its own command line",
                    () -> ProcessId.commandLine(older.pid()).contains(id.toString()));
            ServiceFolder.writeAtomically(folder.supervisorPid(), older.pid() + "\n");
            Map<String, String> before = snapshot(folder.dir());
            assertThat(service.observe().supervisorPid()).isEqualTo(older.pid());
            assertThat(snapshot(folder.dir())).as("observe moves nothing").isEqualTo(before);
            assertThat(secrets.describe(AdminTokens.secretName(id))).isEmpty();

            assertThat(service.reconcile()).contains(new ServiceAction.AdminTokenMoved(false));
            assertThat(secrets.get(AdminTokens.secretName(id)).orElseThrow().value(AdminTokens.KEY)).isEqualTo("older-token");
            assertThat(folder.olderAdminToken()).as("its supervisor restarts its server from it").exists();
            assertThat(service.reconcile()).as("moved once").noneMatch(a -> a instanceof ServiceAction.AdminTokenMoved);
        } finally {
            older.destroyForcibly().waitFor();
        }
        assertThat(service.reconcile()).contains(new ServiceAction.AdminTokenMoved(true));
        assertThat(folder.olderAdminToken()).doesNotExist();
        assertThat(secrets.get(AdminTokens.secretName(id)).orElseThrow().value(AdminTokens.KEY)).isEqualTo("older-token");
        assertThat(service.reconcile()).as("moved once").noneMatch(a -> a instanceof ServiceAction.AdminTokenMoved);

        AdminTokens tokens = new AdminTokens(() -> secrets);
        assertThat(tokens.token(folder)).isEqualTo("older-token");
        secrets.delete(AdminTokens.secretName(id));
        assertThatThrownBy(() -> tokens.token(folder)).isInstanceOfSatisfying(FlywheelException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessageContaining("no admin token in the secrets store").hasMessageContaining("flywheel served-models start " + id)
                .hasMessageNotContaining("older-token");
        String issued = tokens.forSupervisor(folder, false);
        assertThat(issued).matches("[0-9a-f]{64}").isEqualTo(tokens.token(folder));
        tokens.delete(id);
        assertThatThrownBy(() -> tokens.forSupervisor(folder, true)).as("an adopted server keeps the token it has; none can be made up")
                .hasMessageContaining("no admin token");
    }

    @Test
    void phasesReadAndWriteTheWordsOlderSupervisorsWrote() throws Exception {
        ServiceFolder folder = ServiceFolder.of(home.resolve("services"), UUID.randomUUID());
        Files.createDirectories(folder.dir());
        for (SupervisorPhase phase : SupervisorPhase.values()) {
            new SupervisorState(phase, 7, 8080, 1, null).write(folder);
            assertThat(Files.readString(folder.state())).contains("\"phase\":\"" + phase.name().toLowerCase() + "\"");
            assertThat(SupervisorState.read(folder).phase()).isEqualTo(phase);
        }
        Files.writeString(folder.state(), "{\"phase\":\"dancing\",\"serverPid\":0,\"port\":0,\"restartCount\":0,\"lastError\":null}");
        assertThat(SupervisorState.read(folder)).as("an unknown phase reads as no state").isNull();
    }
}
