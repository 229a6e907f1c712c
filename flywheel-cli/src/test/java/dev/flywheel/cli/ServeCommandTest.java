package dev.flywheel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.testkit.NoDaemonLeft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
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
@ExtendWith(NoDaemonLeft.class)
class ServeCommandTest {
    @TempDir
    Path dir;

    /** {@code flywheel serve MODEL --port 0 [more]} as a child process. */
    private Process serve(String home, String model, String... more) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--home", home, "serve", model, "--port", "0"));
        cmd.addAll(List.of(more));
        return new ProcessBuilder(cmd).redirectError(dir.resolve("serve.err").toFile()).start();
    }

    /** The server's base URL from its first line, which must start with {@code firstLine}. */
    private static String baseUrl(Process server, String firstLine) throws Exception {
        String first = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(first).startsWith(firstLine);
        Matcher m = Pattern.compile("at (http://127\\.0\\.0\\.1:\\d+)").matcher(first);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

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

        Process server = serve(home, "lin");
        try {
            String base = baseUrl(server, "Serving lin version 1 (onnx) at http://127.0.0.1:");

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
    void withGrpcPortTheSameVersionAnswersOipOverGrpcAsOverRest() throws Exception {
        String home = dir.resolve(".flywheel").toString();
        importLinearModel(home);
        Process server = serve(home, "lin:1", "--grpc-port", "0");
        io.grpc.ManagedChannel channel = null;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            Matcher rest = Pattern.compile("at (http://127\\.0\\.0\\.1:\\d+)").matcher(first);
            assertThat(rest.find()).as(first).isTrue();
            String grpcLine = null;
            for (String line = out.readLine(); line != null && grpcLine == null; line = out.readLine()) {
                grpcLine = line.contains("gRPC") ? line : null;
            }
            Matcher g = Pattern.compile("127\\.0\\.0\\.1:(\\d+)").matcher(String.valueOf(grpcLine));
            assertThat(g.find()).as("a line naming the gRPC port: " + grpcLine).isTrue();

            channel = io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forAddress("127.0.0.1", Integer.parseInt(g.group(1)))
                    .usePlaintext().build();
            var stub = dev.flywheel.serving.grpc.GRPCInferenceServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(60, TimeUnit.SECONDS);
            // One input per named column, as the imported graph's columns a, b, c allow.
            var request = dev.flywheel.serving.grpc.ModelInferRequest.newBuilder().setModelName("lin");
            float v = 1;
            for (String column : List.of("a", "b", "c")) {
                request.addInputs(dev.flywheel.serving.grpc.ModelInferRequest.InferInputTensor.newBuilder().setName(column)
                        .setDatatype("FP32").addShape(1).setContents(dev.flywheel.serving.grpc.InferTensorContents
                                .newBuilder().addFp32Contents(v++)));
            }
            var answer = stub.modelInfer(request.build());
            assertThat(answer.getModelVersion()).isEqualTo("1");

            HttpResponse<String> viaRest = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(rest.group(1) + "/v2/models/lin/infer"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"inputs\":[{\"name\":\"a\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]},"
                            + "{\"name\":\"b\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[2]},"
                            + "{\"name\":\"c\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[3]}]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(viaRest.statusCode()).as(viaRest.body()).isEqualTo(200);
            float restValue = (float) new ObjectMapper().readTree(viaRest.body()).at("/outputs/0/data/0").asDouble();
            assertThat(answer.getOutputs(0).getContents().getFp32Contents(0)).isEqualTo(restValue);
        } finally {
            if (channel != null) {
                channel.shutdownNow();
            }
            server.destroy();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("server stopped on SIGTERM").isTrue();
        }
    }

    @Test
    void anOnnxModelConvertedElsewhereIsImportedWithoutFeaturesAndServesItsOwnTensor() throws Exception {
        String home = dir.resolve(".flywheel").toString();
        Path onnx = Path.of(getClass().getResource("/onnx/sklearn/ridge_regressor.onnx").toURI());
        JsonNode fixture = null;
        for (JsonNode f : new ObjectMapper().readTree(getClass().getResource("/onnx/sklearn/expected.json")).get("fixtures")) {
            fixture = f.get("file").asText().equals("ridge_regressor.onnx") ? f : fixture;
        }
        StringWriter err = new StringWriter();
        StringWriter imported = new StringWriter();
        assertThat(Main.run(new String[]{"--home", home, "init"}, new PrintWriter(new StringWriter()), new PrintWriter(err))).isZero();
        assertThat(Main.run(new String[]{"--home", home, "models", "import", "ridge", "--onnx", onnx.toString()},
                new PrintWriter(imported), new PrintWriter(err))).as(err.toString()).isZero();
        assertThat(imported.toString()).contains("inputs:  features FP32 [-1, 12]").contains("outputs: variable FP32 [-1, 1]");

        Process server = serve(home, "ridge:1");
        try {
            String base = baseUrl(server, "Serving ridge version 1 (onnx) at http://127.0.0.1:");
            HttpClient http = HttpClient.newHttpClient();
            JsonNode rows = fixture.get("inputs");
            String body = "{\"inputs\": [{\"name\": \"features\", \"datatype\": \"FP32\", \"shape\": [" + rows.size()
                    + ", 12], \"data\": " + rows + "}]}";
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/models/ridge/infer"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode data = new ObjectMapper().readTree(answer.body()).at("/outputs/0/data");
            for (int i = 0; i < rows.size(); i++) {
                assertThat(data.get(i).asDouble()).isCloseTo(fixture.at("/outputs/variable/" + i + "/0").asDouble(),
                        org.assertj.core.api.Assertions.within(1e-4));
            }
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
        assertThat(exit).as(err.toString()).isEqualTo(10);
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
