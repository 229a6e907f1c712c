package dev.flywheel.serving.api;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.ModelSignature;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The deploy-serving contract reads back what it writes: every flag, and the swap body; bad input names the flag or field. */
class ServerFlagsTest {
    private static final ServerFlags MINIMAL = ServerFlags.of("bike", 3, "xgboost", Path.of("/m/model.json"), Path.of("/m/signature.json"));

    @Test
    void everyFlagSurvivesTheRoundTripThroughTheCommandLine() {
        List<ServerFlags> sweep = List.of(MINIMAL,
                MINIMAL.withSha256("ab".repeat(32)),
                MINIMAL.withListen("0.0.0.0", 8080),
                MINIMAL.withFiles(Path.of("/s/admin.token"), Path.of("/s/ready")),
                MINIMAL.withGrpcPort(0),
                MINIMAL.withGrpcPort(9001).withListen("0.0.0.0", 8080),
                new ServerFlags("m-1", 1, "onnx", Path.of("a b/model.onnx"), Path.of("sig.json"), null, "127.0.0.1", 0, null, null,
                        1024, 16, 30_000, 5_000, 9002, 64, 2000, null, null),
                MINIMAL.withBatching(32, null),
                MINIMAL.withPredictionLog(Path.of("/p/.flywheel/artifacts/predictions"), 0.25),
                MINIMAL.withPredictionLog(Path.of("/p/predictions"), null).withGrpcPort(0));
        for (ServerFlags flags : sweep) {
            assertThat(ServerFlags.parse(flags.toArgs())).isEqualTo(flags);
        }
        assertThat(MINIMAL.toArgs()).containsSequence("--host", "127.0.0.1", "--port", "0")
                .doesNotContain("--model-sha256", "--ready-file", "--grpc-port", "--batch-max-size");
    }

    @Test
    void unknownMissingAndMalformedFlagsAreRefusedByName() {
        List<String> args = new ArrayList<>(MINIMAL.toArgs());
        assertInvalid(concat(args, "--colour", "red"), "unknown argument '--colour'");
        assertInvalid(concat(args, "--port"), "--port needs a value");
        assertInvalid(concat(args, "--port", "eighty"), "--port must be an integer, got 'eighty'");
        assertInvalid(concat(args, "--grpc-port", "70000"), "--grpc-port must be 0..65535");
        assertInvalid(concat(args, "--grpc-port", "-1"), "--grpc-port must be 0..65535");
        assertInvalid(concat(args, "--grpc-port", "g"), "--grpc-port must be an integer, got 'g'");
        assertInvalid(concat(args, "--batch-max-size", "-2"), "--batch-max-size must be 0..65536 rows");
        assertInvalid(concat(args, "--batch-max-wait-us", "5000000"), "--batch-max-wait-us must be 0..1000000 microseconds");
        assertInvalid(List.of("--model-name", "bike"), "missing --model-version");
        assertInvalid(List.of(), "missing --model-name");
        for (String rate : List.of("0", "-0.5", "1.5", "NaN")) {
            assertInvalid(concat(args, "--prediction-log-sample-rate", rate), "--prediction-log-sample-rate must be a number > 0 and <= 1");
        }
        assertInvalid(concat(args, "--prediction-log-sample-rate", "half"), "--prediction-log-sample-rate must be a number > 0 and <= 1, got 'half'");
    }

    @Test
    void theSwapBodyReadsBackAsTheSpecAndBadBodiesNameTheField() {
        ModelSignature signature = ModelSignature.regression(List.of("temp", "hour"));
        for (String sha : new String[]{null, "cd".repeat(32)}) {
            ModelVersionSpec spec = new ModelVersionSpec("bike", 2, "xgboost", Path.of("/m/v2/model.json"), signature, sha);
            assertThat(SwapCodec.read(SwapCodec.write(spec))).isEqualTo(spec);
        }
        assertThat(SwapCodec.signature(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(signature))).isEqualTo(signature);
        assertInvalidBody("", "request body is empty");
        assertInvalidBody("{", "malformed JSON");
        assertInvalidBody("[]", "swap body must be a JSON object");
        assertInvalidBody("{\"modelName\": \"bike\", \"versoin\": 2}", "unknown field 'versoin'");
        assertInvalidBody("{\"modelName\": \"bike\", \"version\": 1.5}", "'version' must be an integer >= 1");
    }

    private static List<String> concat(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all;
    }

    private static void assertInvalid(List<String> args, String message) {
        assertThatThrownBy(() -> ServerFlags.parse(args)).isInstanceOfSatisfying(FlywheelException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT)).hasMessageContaining(message);
    }

    private static void assertInvalidBody(String body, String message) {
        assertThatThrownBy(() -> SwapCodec.read(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining(message);
    }
}
