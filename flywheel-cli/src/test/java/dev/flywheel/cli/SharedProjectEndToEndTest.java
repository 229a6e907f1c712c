package dev.flywheel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flywheel.deploy.service.Service;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.testdb.S3Server;
import dev.flywheel.testkit.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One project shared by two folders (two machines, as far as Flywheel can tell): metadata in one real PostgreSQL
 * database, artifacts in one S3 bucket (s3proxy on loopback). A run in the first folder is seen from the second with
 * its artifacts and the model version it registered, and the second deploys that version: the prediction server gets
 * the model file out of the bucket. Every command is a separate process started in its folder, as a user types it.
 */
class SharedProjectEndToEndTest {
    /** Set for this module's test JVMs by the pom: what a user exports before {@code init --db-password-env}. */
    static final String PASSWORD_ENV = "FLYWHEEL_TEST_PG_PASSWORD";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String BUCKET = "flywheel-shared";

    @TempDir
    static Path s3Folder;
    private static S3Server s3;

    @TempDir
    Path dir;
    private Path first;
    private Path second;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3Server.start(s3Folder);
        s3.createBucket(BUCKET);
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    @AfterEach
    void deleteServices() {
        if (second == null || !Files.exists(second.resolve(".flywheel/project.properties"))) {
            return;
        }
        try (Flywheel flywheel = Flywheel.create(cfg -> {
            cfg.home = second.resolve(".flywheel");
            cfg.createIfMissing = false;
        })) {
            for (Service s : flywheel.deployments().list(null, null, null, false)) {
                flywheel.deployments().delete(s.record().uuid(), Duration.ofSeconds(10), true);
            }
        }
    }

    /** A command in {@code folder}'s project, in this JVM (which has the password variable, as a user's shell would). */
    static CliResult ok(Path folder, String... args) {
        CliResult r = CliResult.inProject(folder.resolve(".flywheel"), args);
        assertThat(r.exit()).as("flywheel " + String.join(" ", args) + "\n" + r.out() + r.err()).isZero();
        return r;
    }

    /** A command as its own process started in {@code folder} (runs read their data relative to it). */
    static CliResult okChild(Path folder, String... args) throws Exception {
        CliResult r = ChildCli.run(folder, args);
        assertThat(r.exit()).as("flywheel " + String.join(" ", args) + "\n" + r.out() + r.err()).isZero();
        return r;
    }

    static String[] initArgs(PostgresServer.Database db, String... more) {
        return Stream.concat(Stream.of("init", "--metadata-url", db.url(), "--db-user", db.user(), "--db-password-env", PASSWORD_ENV),
                Stream.of(more)).toArray(String[]::new);
    }

    /** Registers the bucket as the artifact store of a stack {@code prod} and makes it active, from {@code folder}. */
    static void useTheBucket(Path folder) {
        ok(folder, "secret", "create", "s3", "-v", "accessKeyId=" + S3Server.ACCESS_KEY, "-v", "secretAccessKey=" + S3Server.SECRET_KEY);
        ok(folder, "artifact-store", "register", "s3store", "--flavor", "s3", "-s", "bucket=" + BUCKET, "-s", "endpoint=" + s3.endpoint(),
                "-s", "pathStyle=true", "-s", "accessKeyId={{secret.s3.accessKeyId}}", "-s", "secretAccessKey={{secret.s3.secretAccessKey}}");
        ok(folder, "stack", "register", "prod", "-a", "s3store", "--set");
    }

    @Test
    void aRunInOneFolderIsSeenFromAnotherWhichDeploysItsModelFromTheBucket() throws Exception {
        PostgresServer.Database db = PostgresServer.shared().createDatabase("shared_project");
        first = Files.createDirectories(dir.resolve("laptop"));
        second = Files.createDirectories(dir.resolve("ci runner"));

        CliResult init = ok(first, initArgs(db, "--example"));
        assertThat(init.out()).contains("Metadata: " + db.url().substring("jdbc:".length()) + " (user " + db.user() + ")");
        String properties = Files.readString(first.resolve(".flywheel/project.properties"));
        assertThat(properties).contains("metadata-store.flavor=postgres").contains("{{env." + PASSWORD_ENV + "}}")
                .doesNotContain(PostgresServer.PASSWORD);
        assertThat(first.resolve(".flywheel/flywheel.db")).doesNotExist();
        useTheBucket(first);

        CliResult run = okChild(first, "run", "demand_forecast", "--json");
        String runId = JSON.readTree(run.out()).get("runId").asText();

        ok(second, initArgs(db));
        // the secrets are encrypted with the first folder's key: a second folder of the project gets a copy of it
        Files.copy(first.resolve(".flywheel/secrets.key"), second.resolve(".flywheel/secrets.key"));

        JsonNode info = JSON.readTree(ok(second, "info", "--json").out());
        assertThat(info.get("metadataFlavor").asText()).isEqualTo("postgres");
        assertThat(info.get("metadata").asText()).contains(db.name());
        assertThat(info.get("stack").asText()).isEqualTo("prod");
        assertThat(info.get("artifactFlavor").asText()).isEqualTo("s3");
        assertThat(info.get("artifacts").asText()).isEqualTo("s3://" + BUCKET + "/");
        assertThat(ok(second, "info").out()).contains("Metadata:       postgres").contains("s3 's3store'  s3://" + BUCKET + "/");

        JsonNode runs = JSON.readTree(ok(second, "runs", "list", "--json").out());
        assertThat(runs).singleElement().satisfies(r -> assertThat(r.get("id").asText()).isEqualTo(runId));
        JsonNode artifacts = JSON.readTree(ok(second, "artifacts", "list", "--run", runId, "--json").out());
        assertThat(artifacts).isNotEmpty();
        for (JsonNode a : artifacts) {
            JsonNode described = JSON.readTree(ok(second, "artifacts", "describe", a.get("id").asText(), "--json").out());
            assertThat(described.toString()).contains("s3://" + BUCKET + "/blobs/");
            assertThat(described.get("bytesPresent").asBoolean()).as(described.toString()).isTrue();
            ok(second, "artifacts", "show", a.get("id").asText()); // the value, read back out of the bucket
        }
        try (S3Client client = s3.client()) {
            List<S3Object> objects = client.listObjectsV2(b -> b.bucket(BUCKET)).contents();
            assertThat(objects).hasSizeGreaterThanOrEqualTo(artifacts.size());
        }
        try (Stream<Path> local = Files.walk(first.resolve(".flywheel/artifacts"))) {
            assertThat(local.filter(Files::isRegularFile)).as("no blob in the first folder: they are all in the bucket").isEmpty();
        }

        JsonNode models = JSON.readTree(ok(second, "models", "describe", "demand", "1", "--json").out());
        assertThat(models.toString()).contains(runId);
        CliResult deployed = ok(second, "models", "deploy", "demand", "1");
        String url = deployed.out().lines().filter(l -> l.startsWith("Prediction URL: ")).findFirst().orElseThrow()
                .substring("Prediction URL: ".length()).strip();
        HttpResponse<String> prediction = infer(url);
        assertThat(prediction.statusCode()).as(prediction.body()).isEqualTo(200);
        assertThat(prediction.headers().firstValue("X-Model-Version")).hasValue("1");

        // the first folder sees the service the second started, and a second run there reuses the steps' outputs
        // from the bucket (the cache checks the blobs are there)
        assertThat(ok(first, "served-models", "list").out()).contains("demand");
        CliResult again = okChild(first, "run", "demand_forecast");
        assertThat(again.out()).contains("cached");
    }

    @Test
    void initWithAStoreThatCannotBeReachedSaysWhyAndLeavesNoProject() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("nowhere"));
        CliResult refused = CliResult.inProject(folder.resolve(".flywheel"), "init", "--metadata-url", "jdbc:postgresql://127.0.0.1:1/flywheel", "--db-user", "u",
                "--db-password-env", PASSWORD_ENV);
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).startsWith("error: ").contains("127.0.0.1:1").doesNotContain(PostgresServer.PASSWORD);
        assertThat(folder.resolve(".flywheel")).doesNotExist();

        CliResult notPostgres = CliResult.inProject(folder.resolve(".flywheel"), "init", "--metadata-url", "jdbc:mysql://db/x");
        assertThat(notPostgres.exit()).isEqualTo(2);
        assertThat(notPostgres.err()).contains("not a PostgreSQL JDBC URL").contains("jdbc:postgresql://HOST:PORT/DATABASE");
        CliResult passwordInUrl = CliResult.inProject(folder.resolve(".flywheel"), "init", "--metadata-url", "jdbc:postgresql://db/x?password=hunter2");
        assertThat(passwordInUrl.err()).contains("must not carry a password").doesNotContain("hunter2");
        CliResult unset = CliResult.inProject(folder.resolve(".flywheel"), "init", "--metadata-url", "jdbc:postgresql://db/x", "--db-password-env", "NOT_SET_ANYWHERE_42");
        assertThat(unset.err()).contains("NOT_SET_ANYWHERE_42, which is not set");
        CliResult stray = CliResult.inProject(folder.resolve(".flywheel"), "init", "--db-user", "u");
        assertThat(stray.err()).contains("go with --metadata-url");
        assertThat(folder.resolve(".flywheel")).doesNotExist();

        PostgresServer.Database db = PostgresServer.shared().createDatabase("reinit");
        ok(folder, initArgs(db));
        CliResult other = CliResult.inProject(folder.resolve(".flywheel"), "init");
        assertThat(other.exit()).as(other.err()).isZero();
        CliResult moved = CliResult.inProject(folder.resolve(".flywheel"), "init", "--metadata-url", PostgresServer.shared().url("postgres"), "--db-user", db.user(),
                "--db-password-env", PASSWORD_ENV);
        assertThat(moved.exit()).isEqualTo(2);
        assertThat(moved.err()).contains("already keeps its metadata in postgres " + db.url());
        assertThat(Files.readString(folder.resolve(".flywheel/project.properties"))).contains(db.url());
    }

    @Test
    void aLocalProjectExportedAndImportedIntoPostgresAndS3KeepsItsRunsModelsAndBlobs() throws Exception {
        Path local = Files.createDirectories(dir.resolve("local"));
        CliResult init = CliResult.inProject(local.resolve(".flywheel"), "init", "--example");
        assertThat(init.exit()).as(init.err()).isZero();
        String runId = JSON.readTree(okChild(local, "run", "demand_forecast", "--json").out()).get("runId").asText();
        Path export = dir.resolve("export");
        CliResult exported = ok(local, "export", "--to", export.toString());
        assertThat(exported.out()).contains("Exported ").contains("counts and sha256 checked");
        String sourceRuns = ok(local, "runs", "list", "--json").out();
        String sourceModel = ok(local, "models", "describe", "demand", "1", "--json").out();

        PostgresServer.Database db = PostgresServer.shared().createDatabase("imported");
        Path production = Files.createDirectories(dir.resolve("production"));
        ok(production, initArgs(db));
        useTheBucket(production);
        CliResult imported = ok(production, "import", export.toString(), "--json");
        JsonNode report = JSON.readTree(imported.out());
        for (JsonNode t : report.get("tables")) {
            assertThat(t.get("added").asLong() + t.get("existing").asLong()).as(t.toString()).isEqualTo(t.get("exported").asLong());
        }
        assertThat(report.get("blobsCopied").asInt()).isEqualTo(report.get("blobs").asInt()).isPositive();

        assertThat(JSON.readTree(ok(production, "runs", "list", "--json").out())).isEqualTo(JSON.readTree(sourceRuns));
        JsonNode model = JSON.readTree(ok(production, "models", "describe", "demand", "1", "--json").out());
        assertThat(model.get("file")).isEqualTo(JSON.readTree(sourceModel).get("file"));
        for (JsonNode a : JSON.readTree(ok(production, "artifacts", "list", "--run", runId, "--json").out())) {
            JsonNode described = JSON.readTree(ok(production, "artifacts", "describe", a.get("id").asText(), "--json").out());
            assertThat(described.get("bytesPresent").asBoolean()).isTrue();
            assertThat(described.get("location").asText()).startsWith("s3://" + BUCKET + "/blobs/");
        }
        // a second import finds a project that has runs, and is refused without changing it
        CliResult again = CliResult.inProject(production.resolve(".flywheel"), "import", export.toString());
        assertThat(again.exit()).isNotZero();
        assertThat(again.err()).contains("runs");
        assertThat(JSON.readTree(ok(production, "runs", "list", "--json").out())).isEqualTo(JSON.readTree(sourceRuns));
        assertThat(ok(local, "runs", "list", "--json").out()).isEqualTo(sourceRuns);
    }

    /** One row of zeros shaped as the served model's metadata says. */
    private static HttpResponse<String> infer(String url) throws Exception {
        String metadataUrl = url.substring(0, url.length() - "/infer".length());
        JsonNode metadata = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(metadataUrl)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        ObjectNode body = JSON.createObjectNode();
        ArrayNode inputs = body.putArray("inputs");
        for (JsonNode in : metadata.get("inputs")) {
            ObjectNode i = inputs.addObject();
            i.put("name", in.get("name").asText());
            i.put("datatype", in.get("datatype").asText());
            ArrayNode shape = i.putArray("shape");
            int size = 1;
            for (JsonNode d : in.get("shape")) {
                int n = d.asInt() < 0 ? 1 : d.asInt();
                shape.add(n);
                size *= n;
            }
            ArrayNode data = i.putArray("data");
            for (int k = 0; k < size; k++) {
                data.add(0.5);
            }
        }
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }
}
