package dev.flywheel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code flywheel serve} as a real child process: serves a registered version over HTTP and stops cleanly on SIGTERM. */
class ServeCommandTest {
    @TempDir
    Path dir;

    /** A new project at {@code home} with the linear ONNX fixture imported as model 'lin' version 1. */
    private Path importLinearModel(String home) throws Exception {
        Path onnx = Path.of(getClass().getResource("/onnx/linear_regressor.onnx").toURI());
        StringWriter err = new StringWriter();
        assertThat(Main.run(new String[]{"--home", home, "init"}, new PrintWriter(new StringWriter()), new PrintWriter(err))).isZero();
        assertThat(Main.run(new String[]{"--home", home, "models", "import", "lin", "--onnx", onnx.toString(), "--features", "a,b,c"},
                new PrintWriter(new StringWriter()), new PrintWriter(err))).as(err.toString()).isZero();
        return onnx;
    }

    @Test
    void servesTheProductionVersionUntilTerminated() throws Exception {
        String home = dir.resolve(".flywheel").toString();
        Path onnx = importLinearModel(home);
        StringWriter err = new StringWriter();
        assertThat(Main.run(new String[]{"--home", home, "models", "promote", "lin", "1", "--stage", "production"},
                new PrintWriter(new StringWriter()), new PrintWriter(err))).as(err.toString()).isZero();

        Process server = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--home", home, "serve", "lin", "--port", "0"))
                .redirectError(dir.resolve("serve.err").toFile()).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String first = lines.readLine();
            assertThat(first).startsWith("Serving lin version 1 (onnx) at http://127.0.0.1:");
            Matcher m = Pattern.compile("at (http://127\\.0\\.0\\.1:\\d+)").matcher(first);
            assertThat(m.find()).isTrue();
            String base = m.group(1);

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
            HttpResponse<String> predicted = http.send(HttpRequest.newBuilder(URI.create(base + "/invocations"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"dataframe_split\":{\"columns\":[\"a\",\"b\",\"c\"],\"data\":[[1,2,3]]}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
            JsonNode body = new ObjectMapper().readTree(predicted.body());
            assertThat(body.get("predictions")).hasSize(1);
            assertThat(predicted.headers().firstValue("X-Model-Version")).hasValue("1");
        } finally {
            server.destroy();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("server stopped on SIGTERM").isTrue();
        }
    }

    @Test
    void aModelFileChangedAfterRegistrationIsRefusedNamingTheVersionAndBothHashes() throws Exception {
        String home = dir.resolve(".flywheel").toString();
        Path onnx = importLinearModel(home);
        StringWriter err = new StringWriter();
        String registered = dev.flywheel.formats.ModelChecksum.of(java.nio.file.Files.readAllBytes(onnx));
        Path blob;
        try (var files = java.nio.file.Files.walk(dir.resolve(".flywheel"))) {
            blob = files.filter(f -> f.getFileName().toString().equals(registered)).findFirst().orElseThrow();
        }
        blob.toFile().setWritable(true);
        byte[] tampered = java.nio.file.Files.readAllBytes(onnx);
        tampered[tampered.length - 1] ^= 1;
        java.nio.file.Files.write(blob, tampered);

        StringWriter out = new StringWriter();
        int exit = Main.run(new String[]{"--home", home, "serve", "lin:1", "--port", "0"}, new PrintWriter(out), new PrintWriter(err));
        assertThat(exit).as(err.toString()).isEqualTo(5);
        assertThat(err.toString()).contains("model 'lin' version 1").contains("registered " + registered)
                .contains(dev.flywheel.formats.ModelChecksum.of(tampered));
        assertThat(out.toString()).doesNotContain("Serving");
    }

    @Test
    void unknownModelIsAClearNotFound() {
        StringWriter err = new StringWriter();
        int exit = Main.run(new String[]{"--home", dir.resolve(".flywheel").toString(), "init"}, new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertThat(exit).isZero();
        exit = Main.run(new String[]{"--home", dir.resolve(".flywheel").toString(), "serve", "nope@champion"},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertThat(exit).isEqualTo(3);
        assertThat(err.toString()).contains("nope");
    }
}
