package dev.flywheel.deploy.local;

import dev.flywheel.daemon.ProcessId;
import dev.flywheel.deploy.DeploymentConfig;
import dev.flywheel.deploy.service.Service;
import dev.flywheel.deploy.service.ServiceStatus;
import dev.flywheel.deploy.service.ServiceStore;
import dev.flywheel.sdk.secret.SecretInfo;
import dev.flywheel.sdk.secret.SecretsStore;
import dev.flywheel.serving.api.ServerFlags;
import dev.flywheel.serving.api.ServingProtocol;
import dev.flywheel.store.metadata.MetadataStore;
import dev.flywheel.testkit.Await;
import dev.flywheel.testkit.NoDaemonLeft;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A local service's admin token lives in the project's secrets store only: real supervisor and server processes, a
 * real secrets store, real HTTP against the server's admin endpoint.
 */
@ExtendWith(NoDaemonLeft.class)
class AdminTokenTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path home;
    MetadataStore metadata;
    SecretsStore secrets;
    LocalModelDeployer deployer;
    Path model;

    @BeforeEach
    void open() throws Exception {
        metadata = MetadataStore.openSqlite(home.resolve("flywheel.db"));
        secrets = ProjectSecrets.in(metadata, home);
        deployer = new LocalModelDeployer(new ServiceStore(metadata), home.resolve("services"), () -> secrets, LocalDeployerSettings.defaults(),
                Clock.systemUTC());
        model = ServiceListingTest.tinyModel(home.resolve("model.json"));
    }

    @AfterEach
    void deleteEveryService() {
        LocalModelDeployerTest.deleteEveryService(deployer, metadata);
    }

    private DeploymentConfig config(int version) throws Exception {
        return new DeploymentConfig("tiny", version, "xgboost", model, ServiceListingTest.SIGNATURE, "p", "r1", "serve", 0,
                ServiceListingTest.sha256(model));
    }

    @Test
    void theTokenIsOnlyInTheSecretsStoreTheServerStillDemandsItAndItGoesWithTheService() throws Exception {
        Service service = deployer.deployModel(config(1), true, TIMEOUT);
        UUID id = service.record().uuid();
        String token = secrets.get(AdminTokens.secretName(id)).orElseThrow().value(AdminTokens.KEY);
        assertThat(token).matches("[0-9a-f]{64}");
        int port = service.record().port();

        assertThat(traffic(port, null).statusCode()).as("no token").isEqualTo(401);
        assertThat(traffic(port, "0".repeat(64)).statusCode()).as("a wrong token").isEqualTo(403);
        assertThat(traffic(port, token).statusCode()).as("the stored token").isEqualTo(200);
        // A hot swap calls /admin/swap with the token it reads from the store.
        deployer.deployModel(config(2), true, TIMEOUT);
        assertThat(deployer.get(id.toString()).record().modelVersion()).isEqualTo(2);

        LocalDaemonService running = deployer.get(id.toString());
        running.status();
        assertNowhereInPlain(token, running);
        // The server's environment has it, readable by its owner only (unlike argv, which everyone sees).
        Path environ = Path.of("/proc", Long.toString(running.record().serverPid()), "environ");
        assertThat(Files.getPosixFilePermissions(environ)).containsOnly(PosixFilePermission.OWNER_READ);
        assertThat(Files.readString(environ, StandardCharsets.ISO_8859_1)).contains(ServerFlags.ADMIN_TOKEN_ENV + "=" + token);

        // A supervisor killed with -9: the one that adopts its server is handed the token from the store again, and
        // gives it to the server it starts when the adopted one dies.
        long oldSupervisor = running.record().pid();
        ServiceListingTest.signal("KILL", oldSupervisor);
        Await.until(TIMEOUT, "a new supervisor adopts the server", () -> {
            LocalDaemonService s = deployer.get(id.toString());
            s.status();
            return s.record().pid() != 0 && s.record().pid() != oldSupervisor;
        });
        ServiceListingTest.signal("KILL", deployer.get(id.toString()).record().serverPid());
        Await.until(TIMEOUT, "the adopting supervisor starts a new server", () -> {
            LocalDaemonService s = deployer.get(id.toString());
            return s.status() instanceof ServiceStatus.Active && trafficOrUnreachable(s.record().port(), token) == 200;
        });
        assertThat(traffic(deployer.get(id.toString()).record().port(), null).statusCode()).isEqualTo(401);
        assertNowhereInPlain(token, deployer.get(id.toString()));

        deployer.deleteService(id, Duration.ofSeconds(10), false);
        assertThat(secrets.describe(AdminTokens.secretName(id))).as("deleted with the service").isEmpty();
        assertThat(secrets.list()).extracting(SecretInfo::name).noneMatch(n -> n.contains(id.toString()));
    }

    @Test
    void anOlderServicesTokenFileMovesIntoTheStoreOnFirstTouchAndTheServerStartsWithIt() throws Exception {
        Service service = deployer.deployModel(config(1), true, TIMEOUT);
        UUID id = service.record().uuid();
        deployer.get(id.toString()).stop(Duration.ofSeconds(20), false);
        // As Flywheel before the secrets store left it: the token in an owner-only file of the folder, none in the store.
        String older = "a1".repeat(32);
        secrets.delete(AdminTokens.secretName(id));
        Path file = deployer.get(id.toString()).folder().resolve("admin-token");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, older + "\n");

        assertThat(deployer.list()).hasSize(1); // a listing is the first touch
        assertThat(file).doesNotExist();
        assertThat(secrets.get(AdminTokens.secretName(id)).orElseThrow().value(AdminTokens.KEY)).isEqualTo(older);

        LocalDaemonService restarted = deployer.get(id.toString());
        restarted.start(TIMEOUT);
        assertThat(traffic(restarted.record().port(), older).statusCode()).isEqualTo(200);
        assertThat(traffic(restarted.record().port(), null).statusCode()).isEqualTo(401);
        assertNowhereInPlain(older, restarted);
    }

    /** In no file under the project (the service folder, its logs, the database), no command line, no log. */
    private void assertNowhereInPlain(String token, LocalDaemonService service) throws Exception {
        assertThat(service.folder().resolve("admin-token")).doesNotExist();
        try (Stream<Path> files = Files.walk(home)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] content;
                try {
                    content = Files.readAllBytes(f);
                } catch (NoSuchFileException renamedMeanwhile) {
                    continue; // a state file's temporary name (heartbeat, state.json), renamed meanwhile
                }
                // ISO-8859-1 maps every byte to one char, so binary files (the database, archives) are searched whole.
                assertThat(new String(content, StandardCharsets.ISO_8859_1)).as("the token in %s", f).doesNotContain(token);
            }
        }
        Process ps = new ProcessBuilder("ps", "axww", "-o", "pid=,args=").redirectErrorStream(true).start();
        String table = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ps.waitFor()).isZero();
        assertThat(table).as("ps lists the service's processes").contains(service.record().uuid().toString());
        assertThat(table).as("ps output").doesNotContain(token);
        for (long pid : List.of(service.record().pid(), service.record().serverPid())) {
            // the whole of /proc/PID/cmdline (ProcessHandle.info() cuts a long class path short)
            assertThat(ProcessId.commandLine(pid)).as("argv of %s", pid)
                    .contains(service.record().uuid().toString()).doesNotContain(token);
        }
    }

    /** The status code, or -1 while nothing listens (a server being restarted). */
    private static int trafficOrUnreachable(int port, String token) throws InterruptedException {
        try {
            return traffic(port, token).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    private static HttpResponse<String> traffic(int port, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(LocalDaemonService.baseUrl(port) + ServingProtocol.TRAFFIC_PATH))
                .timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            request.header(ServingProtocol.AUTHORIZATION_HEADER, ServingProtocol.bearer(token));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
