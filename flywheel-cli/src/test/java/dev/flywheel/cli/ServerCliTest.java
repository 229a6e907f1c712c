package dev.flywheel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.testkit.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code flywheel server up --foreground | status | down}, {@code server token ...} and {@code flywheel ui}, as a user runs them. */
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
        CliResult ui = CliResult.inProject(home(), "ui");
        assertThat(ui.exit()).isEqualTo(8);
        assertThat(ui.err()).contains("flywheel server up");

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
            CliResult printed = CliResult.inProject(home(), "ui");
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
