package dev.flywheel.serving;

import dev.flywheel.serving.api.ModelVersionSpec;
import dev.flywheel.formats.ModelChecksum;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.FeatureType;
import dev.flywheel.sdk.model.ModelSignature;
import dev.flywheel.sdk.model.TensorSpec;
import dev.flywheel.serving.api.SwapCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The server checks the registry's sha256 of a model file at every load: start and hot swap. */
class RegisteredHashTest {
    private static final String TOKEN = "s3cret-token";

    @TempDir
    Path dir;

    private static ModelVersionSpec withSha(ModelVersionSpec spec, String sha256) {
        return new ModelVersionSpec(spec.modelName(), spec.version(), spec.format(), spec.modelFile(), spec.signature(), sha256);
    }

    private static String sha(Path file) throws Exception {
        return ModelChecksum.of(Files.readAllBytes(file));
    }

    @Test
    void aFileWithOtherBytesThanRegisteredIsNotServedAndTheErrorNamesTheVersionAndBothHashes() throws Exception {
        ModelVersionSpec v1 = Fixture.linear(dir, 1);
        String recorded = ModelChecksum.of("the bytes that were registered".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> PredictionServer.create(cfg -> { }).start(withSha(v1, recorded)))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT))
                .hasMessageContaining("model 'bike' version 1").hasMessageContaining("sha256 " + sha(v1.modelFile()))
                .hasMessageContaining("registered " + recorded);
        try (PredictionServer server = PredictionServer.create(cfg -> { }).start(withSha(v1, sha(v1.modelFile())))) {
            assertThat(Fixture.get(server, "/v2/health/ready").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aSwapToATamperedFileIsRefusedAsCorruptAndTheOldVersionKeepsServing() throws Exception {
        ModelVersionSpec v1 = Fixture.linear(dir, 1);
        try (PredictionServer server = PredictionServer.create(cfg -> cfg.adminToken = TOKEN).start(withSha(v1, sha(v1.modelFile())))) {
            ModelVersionSpec v2 = Fixture.linear(dir, 2);
            String body = new String(SwapCodec.write(withSha(v2, sha(v1.modelFile()))), StandardCharsets.UTF_8);
            HttpResponse<String> swap = Fixture.send(HttpRequest.newBuilder(Fixture.uri(server, "/admin/swap"))
                    .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build());
            assertThat(swap.statusCode()).isEqualTo(ErrorCode.CORRUPT.httpStatus());
            assertThat(Fixture.error(swap)).contains("version 2").contains(sha(v2.modelFile())).contains("registered " + sha(v1.modelFile()));
            assertThat(Fixture.get(server, "/v2/health/ready").headers().firstValue("X-Model-Version")).hasValue("1");
        }
    }

    @Test
    void aSpecWithTensorsAndItsSha256SurvivesTheSwapBodyRoundTrip() {
        ModelSignature graph = ModelSignature.ofTensors(List.of(new TensorSpec("features", FeatureType.FP32, List.of(-1L, 3L))),
                List.of(new TensorSpec("label", FeatureType.INT64, List.of(-1L)), new TensorSpec("p", FeatureType.FP32, List.of(-1L, 2L))));
        ModelVersionSpec spec = new ModelVersionSpec("iris", 4, "onnx", dir.resolve("m.onnx"), graph, "ab".repeat(32));
        assertThat(SwapCodec.read(SwapCodec.write(spec))).isEqualTo(spec);
    }
}
