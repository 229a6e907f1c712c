package dev.flywheel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.kubernetes.FlywheelImage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Flywheel image that {@code mvn -Pimage package -pl flywheel-cli -am} builds with Jib (target/flywheel-image.tar,
 * OCI): its manifest, config (entrypoint, user, port) and layers, then the image's own command line run outside a
 * container on the image's extracted file system: the CLI answers, and {@code flywheel serve} becomes ready. Skipped,
 * saying so, when the image was not built (the default build needs no image, and so no network for Jib's plugin).
 */
class FlywheelImageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path IMAGE = Path.of("target/flywheel-image.tar");

    @TempDir
    static Path unpacked;
    static JsonNode config;
    static JsonNode manifest;
    static Path root;

    @BeforeAll
    static void unpack() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(IMAGE), "no image at " + IMAGE.toAbsolutePath()
                + "; build it with: mvn -Pimage package -pl flywheel-cli -am -DskipTests");
        Path oci = Files.createDirectories(unpacked.resolve("oci"));
        run(List.of("tar", "-xf", IMAGE.toAbsolutePath().toString(), "-C", oci.toString()));
        JsonNode index = JSON.readTree(oci.resolve("index.json").toFile());
        manifest = JSON.readTree(blob(oci, index.get("manifests").get(0).get("digest").asText()).toFile());
        config = JSON.readTree(blob(oci, manifest.get("config").get("digest").asText()).toFile());
        root = Files.createDirectories(unpacked.resolve("rootfs"));
        for (JsonNode layer : manifest.get("layers")) {
            run(List.of("tar", "-xzf", blob(oci, layer.get("digest").asText()).toString(), "-C", root.toString()));
        }
    }

    private static Path blob(Path oci, String digest) {
        return oci.resolve("blobs").resolve(digest.replace(':', '/'));
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
        return out;
    }

    /** The image's command line, with its absolute paths moved under the extracted root. */
    private static List<String> outsideContainer(List<String> command) {
        List<String> out = new ArrayList<>();
        for (String arg : command) {
            out.add(arg.replace("/opt/java", root + "/opt/java").replace("/app/", root + "/app/"));
        }
        return out;
    }

    @Test
    void theImageIsAnOciImageWithTheRuntimeDependencyAndClassLayersAndTheCliAsEntrypoint() {
        assertThat(manifest.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(manifest.get("layers")).hasSizeGreaterThanOrEqualTo(4)
                .allSatisfy(l -> assertThat(l.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip"));
        assertThat(config.get("architecture").asText()).isEqualTo("amd64");
        assertThat(config.get("os").asText()).isEqualTo("linux");
        List<String> entrypoint = new ArrayList<>();
        config.get("config").get("Entrypoint").forEach(e -> entrypoint.add(e.asText()));
        assertThat(entrypoint).as("the manifests Flywheel renders rely on this").isEqualTo(FlywheelImage.entrypoint());
        assertThat(config.get("config").get("User").asText()).as("not root").isEqualTo("65532:65532");
        assertThat(config.get("config").get("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(config.get("config").get("Env").toString()).contains("JAVA_HOME=/opt/java");

        assertThat(root.resolve("opt/java/bin/java")).isExecutable();
        assertThat(root.resolve("lib64/ld-linux-x86-64.so.2")).as("runs FROM scratch: the C library comes along").exists();
        assertThat(root.resolve("app/classes/dev/flywheel/cli/Main.class")).exists();
        assertThat(root.resolve("app/libs")).isDirectoryContaining(p -> p.getFileName().toString().startsWith("flywheel-serving-"))
                .isDirectoryContaining(p -> p.getFileName().toString().startsWith("flywheel-kubernetes-"));
    }

    @Test
    void theImagesCommandLineRunsTheCliAndServesAModelOutsideAContainer() throws Exception {
        Path work = Files.createDirectories(unpacked.resolve("work"));
        List<String> cli = outsideContainer(FlywheelImage.entrypoint());
        assertThat(cli.getFirst()).startsWith(root.toString());
        assertThat(cliOutput(work, cli, "--version")).contains("flywheel");
        cliOutput(work, cli, "init");
        Path onnx = Path.of(getClass().getResource("/onnx/sklearn/ridge_regressor.onnx").toURI());
        cliOutput(work, cli, "models", "import", "demand", "--onnx", onnx.toString());

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> serve = new ArrayList<>(cli);
        serve.addAll(List.of("serve", "demand:1", "--port", Integer.toString(port)));
        Process server = new ProcessBuilder(serve).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("serve.log").toFile()).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            Instant deadline = Instant.now().plusSeconds(60);
            int status = 0;
            while (Instant.now().isBefore(deadline) && server.isAlive()) {
                try {
                    status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/health/ready"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status == 200) {
                        break;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                server.waitFor(100, TimeUnit.MILLISECONDS);
            }
            assertThat(status).as(Files.readString(work.resolve("serve.log"))).isEqualTo(200);
        } finally {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The runtime layer's C libraries come from the build machine: the layer lists each with its package and version. */
    @Test
    void theRuntimeLayerListsTheCLibrariesItCopiedFromTheBuildMachine() throws IOException {
        String list = Files.readString(root.resolve("opt/java/NATIVE-LIBRARIES"));
        assertThat(list).startsWith("# C libraries copied from the build machine").contains("# build host: ");
        assertThat(list.lines().filter(l -> !l.startsWith("#")).map(l -> l.split(" ")[0]))
                .contains("/lib64/ld-linux-x86-64.so.2").anyMatch(p -> p.endsWith("/libc.so.6"))
                .allMatch(p -> Files.isRegularFile(root.resolve(p.substring(1))));
    }

    /**
     * A Kubernetes Job's command line ({@link FlywheelImage#stepCommand}, what the kubernetes orchestrator renders) runs
     * a step job from the image's own Java and class path, with the pipeline's jar where a user's image adds it
     * ({@code /app/pipeline/}): the step runs, its output lands in the artifact store, its result file says so.
     */
    @Test
    void theImagesStepRunnerRunsAStepJobWithThePipelinesJarInAppPipeline() throws Exception {
        Path classes = Path.of(TestPipelines.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = Files.createDirectories(root.resolve("app/pipeline")).resolve("pipeline.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
             var files = Files.list(classes.resolve("dev/flywheel/cli"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("TestPipelines")).toList()) {
                out.putNextEntry(new java.util.jar.JarEntry("dev/flywheel/cli/" + f.getFileName()));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        }
        Path work = Files.createDirectories(unpacked.resolve("step"));
        Path store = Files.createDirectories(work.resolve("artifacts"));
        Path job = work.resolve("job.json");
        new dev.flywheel.engine.run.StepJob("run-1", "hello", "greet", TestPipelines.Greet.class.getName(), 1,
                "{\"name\":\"image\",\"times\":2}", store.toUri(), List.of(), work.resolve("result.json")).write(job);

        List<String> command = outsideContainer(FlywheelImage.stepCommand(dev.flywheel.kubernetes.KubernetesJobConfig.DEFAULT_PIPELINE_CLASSPATH,
                job.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        var result = dev.flywheel.engine.run.StepJobResult.read(work.resolve("result.json"));
        assertThat(result.succeeded()).as(result.error()).isTrue();
        assertThat(result.log()).contains("greeting image");
        String sha = result.outputs().getFirst().sha256();
        try (var blobs = Files.walk(store)) {
            Path blob = blobs.filter(f -> f.getFileName().toString().startsWith(sha)).findFirst().orElseThrow();
            assertThat(Files.readString(blob)).contains("hello image hello image");
        }
    }

    private static String cliOutput(Path work, List<String> cli, String... args) throws Exception {
        List<String> command = new ArrayList<>(cli);
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", args) + "\n" + out).isZero();
        return out;
    }
}
