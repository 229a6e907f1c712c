package dev.flywheel.serving;

import dev.flywheel.serving.api.ModelVersionSpec;
import dev.flywheel.serving.api.ServerFlags;
import dev.flywheel.serving.api.SwapCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ServerMainTest {
    @TempDir
    Path dir;

    private Process launch(Path log, String... args) throws Exception {
        return launch(Map.of(), log, args);
    }

    private Process launch(Map<String, String> environment, Path log, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), "-Xmx128m", ServerMain.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(environment);
        return pb.start();
    }

    @Test
    void childProcessWritesReadyFileAnswersAndExitsCleanlyOnSigterm() throws Exception {
        ModelVersionSpec spec = Fixture.linear(dir, 3);
        Path sig = dir.resolve("signature.json");
        Files.write(sig, SwapCodec.writeSignature(spec.signature()));
        Path token = dir.resolve("token");
        Files.writeString(token, "tok\n");
        Path ready = dir.resolve("ready");
        Path log = dir.resolve("server.log");
        Process p = launch(log, "--model-name", "bike", "--model-version", "3", "--format", "linear",
                "--model-file", spec.modelFile().toString(), "--signature-file", sig.toString(),
                "--host", "127.0.0.1", "--port", "0", "--admin-token-file", token.toString(), "--ready-file", ready.toString());
        try {
            // A child JVM can take over 30 s to start on a machine loaded by parallel builds.
            Fixture.await(() -> Files.exists(ready) || !p.isAlive(), Duration.ofSeconds(120));
            assertThat(ready).as(Files.exists(log) ? Files.readString(log) : "no log").exists();
            int port = Integer.parseInt(Files.readString(ready).strip());
            HttpResponse<String> r = Fixture.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/invocations"))
                    .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString("temp,hum,wind\n1,2,3\n")).build());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(Fixture.json(r).path("predictions").get(0).floatValue()).isEqualTo(Fixture.expected(3, 1, 2, 3));
            HttpResponse<String> status = Fixture.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/status"))
                    .header("Authorization", "Bearer tok").build());
            assertThat(status.statusCode()).isEqualTo(200);

            p.destroy(); // SIGTERM
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(Files.readString(log)).isIn(0, 143);
            assertThat(Files.readString(log)).contains("shutdown requested").contains("stopped serving model=bike");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void anEmptyAdminTokenInTheEnvironmentIsRefusedByName() throws Exception {
        ModelVersionSpec spec = Fixture.linear(dir, 1);
        Path sig = dir.resolve("signature.json");
        Files.write(sig, SwapCodec.writeSignature(spec.signature()));
        Path log = dir.resolve("empty-token.log");
        Process p = launch(Map.of(ServerFlags.ADMIN_TOKEN_ENV, "  "), log, "--model-name", "bike", "--model-version", "1", "--format", "linear",
                "--model-file", spec.modelFile().toString(), "--signature-file", sig.toString(), "--port", "0");
        try {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(2);
            assertThat(Files.readString(log)).contains("the environment variable FLYWHEEL_ADMIN_TOKEN is empty");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void badArgumentsExitWithUsageAndCode2() throws Exception {
        Path log = dir.resolve("bad.log");
        Process p = launch(log, "--model-name", "bike", "--model-versoin", "3");
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(Files.readString(log)).contains("unknown argument '--model-versoin'").contains("usage:");
    }

    @Test
    void missingSignatureFileIsNamed() throws Exception {
        Path log = dir.resolve("sig.log");
        Path missing = dir.resolve("nope.json");
        Process p = launch(log, "--model-name", "bike", "--model-version", "1", "--format", "linear",
                "--model-file", dir.resolve("m.txt").toString(), "--signature-file", missing.toString());
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(Files.readString(log)).contains("signature file " + missing).contains("does not exist");
    }
}
