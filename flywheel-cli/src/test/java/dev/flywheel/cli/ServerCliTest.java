package dev.flywheel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.testkit.Await;
import dev.flywheel.testkit.NoDaemonLeft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code flywheel server up [--foreground] | status | down}, {@code server token ...} and {@code flywheel ui}, as a user runs them. */
@ExtendWith(NoDaemonLeft.class)
class ServerCliTest {
    @TempDir
    Path dir;

    private Path home() {
        return dir.resolve(".flywheel");
    }

    private JsonNode json(String... args) throws Exception {
        CliResult r = CliResult.inProject(home(), args);
        assertThat(r.exit()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void serverUpInTheForegroundAnswersIsSeenByStatusAndUiAndStopsWithDown() throws Exception {
        assertThat(CliResult.inProject(home(), "init").exit()).isZero();
        assertThat(json("server", "status", "--json").get("status").asText()).isEqualTo("stopped");

        Path log = dir.resolve("server.log");
        Process server = new ProcessBuilder(ChildCli.command("--home", home().toString(), "server", "up", "--foreground", "--port", "0"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Await.until(Duration.ofSeconds(60), "the server says it is running", () -> {
                assertThat(server.isAlive()).as("server process; its output: %s", Files.readString(log)).isTrue();
                return json("server", "status", "--json").get("status").asText().equals("running");
            });
            String url = json("server", "status", "--json").get("url").asText();
            assertThat(Files.readString(log)).contains("Flywheel server on " + url);
            CliResult printed = CliResult.inProject(home(), "ui", "--no-browser");
            assertThat(printed.exit()).isZero();
            assertThat(printed.out().strip()).isEqualTo(url);
            HttpResponse<String> runs = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "api/v1/runs")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(runs.statusCode()).isEqualTo(200);
            assertThat(runs.body()).contains("\"items\":[]");

            CliResult second = CliResult.inProject(home(), "server", "up", "--foreground", "--port", "0");
            assertThat(second.exit()).as("one server per project").isEqualTo(4);
            assertThat(second.err()).contains("already runs", url);

            CliResult down = CliResult.inProject(home(), "server", "down");
            assertThat(down.exit()).as(down.err()).isZero();
            assertThat(down.out()).contains("stopped");
            assertThat(server.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(json("server", "status", "--json").get("status").asText()).isEqualTo("stopped");
            assertThat(Files.exists(home().resolve("server").resolve("server.json"))).as("the state file is removed").isFalse();
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void serverUpRunsInTheBackgroundUntilDownAndUiStartsOneWhenNoneAnswers() throws Exception {
        assertThat(CliResult.inProject(home(), "init").exit()).isZero();
        CliResult up = CliResult.inProject(home(), "server", "up", "--port", "0", "--json");
        assertThat(up.exit()).as(up.err()).isZero();
        JsonNode started = new ObjectMapper().readTree(up.out());
        assertThat(started.get("status").asText()).isEqualTo("running");
        String url = started.get("url").asText();
        long pid = started.get("pid").asLong();
        assertThat(ProcessHandle.of(pid)).as("a process of its own, detached from the command").isPresent();
        assertThat(http(url + "api/v1/runs").statusCode()).isEqualTo(200);
        assertThat(Files.readString(home().resolve("server").resolve("server.log"))).as("its log").contains("Flywheel server on " + url);

        CliResult printed = CliResult.inProject(home(), "ui", "--no-browser");
        assertThat(printed.exit()).as(printed.err()).isZero();
        assertThat(printed.out().strip()).as("the running server's URL").isEqualTo(url);
        CliResult second = CliResult.inProject(home(), "server", "up", "--port", "0");
        assertThat(second.exit()).as("one server per project").isEqualTo(4);
        assertThat(second.err()).contains("already runs", url);

        // killed without its shutdown: the state file stays behind, and ui starts a new server in its place
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        Await.until(Duration.ofSeconds(30), "the killed server is gone", () -> ProcessHandle.of(pid).isEmpty());
        assertThat(json("server", "status", "--json").get("status").asText()).isEqualTo("stopped");
        CliResult restarted = CliResult.inProject(home(), "ui", "--no-browser", "--port", "0");
        assertThat(restarted.exit()).as(restarted.err()).isZero();
        assertThat(restarted.err()).contains("Started the server");
        JsonNode now = json("server", "status", "--json");
        assertThat(now.get("status").asText()).isEqualTo("running");
        assertThat(now.get("pid").asLong()).isNotEqualTo(pid);
        assertThat(restarted.out().strip()).isEqualTo(now.get("url").asText());

        CliResult down = CliResult.inProject(home(), "server", "down");
        assertThat(down.exit()).as(down.err()).isZero();
        assertThat(down.out()).contains("stopped");
        assertThat(ProcessHandle.of(now.get("pid").asLong()).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(json("server", "status", "--json").get("status").asText()).isEqualTo("stopped");
        assertThat(CliResult.inProject(home(), "server", "down").out()).contains("No server runs");
    }

    @Test
    void aServerThatCannotStartInTheBackgroundFailsWithTheEndOfItsLog() throws Exception {
        assertThat(CliResult.inProject(home(), "init").exit()).isZero();
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CliResult up = CliResult.inProject(home(), "server", "up", "--port", Integer.toString(taken.getLocalPort()));
            assertThat(up.exit()).as(up.out()).isEqualTo(8);
            assertThat(up.err()).contains("The server exited at start", "server.log");
        }
        assertThat(json("server", "status", "--json").get("status").asText()).isEqualTo("stopped");
    }

    private static HttpResponse<String> http(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void tokensAreCreatedOnceListedWithoutSecretsAndRevoked() throws Exception {
        assertThat(CliResult.inProject(home(), "init").exit()).isZero();
        CliResult created = CliResult.inProject(home(), "server", "token", "create", "ci");
        assertThat(created.exit()).as(created.err()).isZero();
        String secret = created.out().strip();
        assertThat(secret).startsWith("fwt_").hasSizeGreaterThan(40);
        assertThat(CliResult.inProject(home(), "server", "token", "create", "viewer", "--read-only").exit()).isZero();
        CliResult dup = CliResult.inProject(home(), "server", "token", "create", "ci");
        assertThat(dup.exit()).isEqualTo(4);
        assertThat(CliResult.inProject(home(), "server", "token", "create", "no spaces").exit()).isEqualTo(2);

        JsonNode list = json("server", "token", "list", "--json");
        assertThat(list).extracting(t -> t.get("name").asText() + ":" + t.get("scope").asText()).containsExactly("ci:WRITE", "viewer:READ");
        assertThat(list.toString()).doesNotContain(secret);
        String stored = Files.readString(home().resolve("server").resolve("tokens.json"));
        assertThat(stored).as("only the hash is stored").doesNotContain(secret);
        assertThat(Files.getPosixFilePermissions(home().resolve("server").resolve("tokens.json")).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");

        assertThat(CliResult.inProject(home(), "server", "token", "revoke", "ci").exit()).isZero();
        assertThat(json("server", "token", "list", "--json")).hasSize(1);
        CliResult missing = CliResult.inProject(home(), "server", "token", "revoke", "ci");
        assertThat(missing.exit()).isEqualTo(3);
        assertThat(missing.err()).contains("viewer");
    }

    @Test
    void badServerFlagsAreRefusedBeforeAnythingStarts() {
        assertThat(CliResult.inProject(home(), "init").exit()).isZero();
        CliResult port = CliResult.inProject(home(), "server", "up", "--foreground", "--port", "70000");
        assertThat(port.exit()).isEqualTo(2);
        assertThat(port.err()).contains("--port");
        CliResult host = CliResult.inProject(home(), "server", "up", "--foreground", "--host", "no.such.host.invalid");
        assertThat(host.exit()).isEqualTo(2);
        assertThat(host.err()).contains("--host");
    }
}
