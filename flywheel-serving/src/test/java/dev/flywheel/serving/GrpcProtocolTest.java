package dev.flywheel.serving;

import com.google.protobuf.ByteString;
import dev.flywheel.sdk.model.Feature;
import dev.flywheel.sdk.model.FeatureType;
import dev.flywheel.sdk.model.ModelSignature;
import dev.flywheel.serving.grpc.GRPCInferenceServiceGrpc;
import dev.flywheel.serving.grpc.InferTensorContents;
import dev.flywheel.serving.grpc.ModelInferRequest;
import dev.flywheel.serving.grpc.ModelInferRequest.InferInputTensor;
import dev.flywheel.serving.grpc.ModelInferResponse;
import dev.flywheel.serving.grpc.ModelMetadataRequest;
import dev.flywheel.serving.grpc.ModelMetadataResponse;
import dev.flywheel.serving.grpc.ModelReadyRequest;
import dev.flywheel.serving.grpc.ServerLiveRequest;
import dev.flywheel.serving.grpc.ServerMetadataRequest;
import dev.flywheel.serving.grpc.ServerReadyRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.flywheel.serving.Fixture.expected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Open Inference Protocol over gRPC, with grpc-java's own client, against a server on 127.0.0.1. */
class GrpcProtocolTest {
    private static final String TOKEN = "grpc-admin-token";

    @TempDir
    Path dir;

    private final List<ManagedChannel> channels = new ArrayList<>();

    @AfterEach
    void closeChannels() throws InterruptedException {
        for (ManagedChannel c : channels) {
            c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private PredictionServer start(int version) {
        return PredictionServer.create(cfg -> {
            cfg.grpcPort = 0;
            cfg.adminToken = TOKEN;
        }).start(Fixture.linear(dir, version));
    }

    private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub(PredictionServer server) {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
        channels.add(channel);
        return GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static InferInputTensor.Builder fp32(String name, List<Long> shape, float... values) {
        InferTensorContents.Builder c = InferTensorContents.newBuilder();
        for (float v : values) {
            c.addFp32Contents(v);
        }
        return InferInputTensor.newBuilder().setName(name).setDatatype("FP32").addAllShape(shape).setContents(c);
    }

    private static ModelInferRequest perFeature(String model, float temp, float hum, float wind) {
        return ModelInferRequest.newBuilder().setModelName(model).setId("req-1")
                .addInputs(fp32("temp", List.of(1L), temp))
                .addInputs(fp32("hum", List.of(1L), hum))
                .addInputs(fp32("wind", List.of(1L), wind)).build();
    }

    @Test
    void everyRpcAnswersAsTheRestEndpointsDo() {
        try (PredictionServer server = start(2)) {
            var grpc = stub(server);
            assertThat(server.grpcPort()).isPositive().isNotEqualTo(server.port());
            assertThat(grpc.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
            assertThat(grpc.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
            var meta = grpc.serverMetadata(ServerMetadataRequest.getDefaultInstance());
            assertThat(meta.getName()).isEqualTo("flywheel-serving");
            assertThat(meta.getVersion()).isEqualTo(PredictionServer.VERSION);
            assertThat(grpc.modelReady(ModelReadyRequest.newBuilder().setName("bike").build()).getReady()).isTrue();
            assertThat(grpc.modelReady(ModelReadyRequest.newBuilder().setName("bike").setVersion("2").build()).getReady()).isTrue();

            ModelMetadataResponse model = grpc.modelMetadata(ModelMetadataRequest.newBuilder().setName("bike").build());
            var rest = Fixture.json(Fixture.get(server, "/v2/models/bike"));
            assertThat(model.getName()).isEqualTo("bike");
            assertThat(model.getVersionsList()).containsExactly("2");
            assertThat(model.getPlatform()).isEqualTo("linear");
            assertThat(model.getInputsList()).extracting(t -> t.getName() + ":" + t.getDatatype() + ":" + t.getShapeList())
                    .containsExactly("temp:FP32:[-1]", "hum:FP32:[-1]", "wind:FP32:[-1]");
            assertThat(model.getInputsCount()).isEqualTo(rest.path("inputs").size());
            assertThat(model.getOutputs(0).getName()).isEqualTo(rest.path("outputs").get(0).path("name").asText());

            ModelInferResponse r = grpc.modelInfer(perFeature("bike", 1.5f, 2f, 3f));
            assertThat(r.getModelName()).isEqualTo("bike");
            assertThat(r.getModelVersion()).isEqualTo("2");
            assertThat(r.getId()).isEqualTo("req-1");
            assertThat(r.getOutputs(0).getName()).isEqualTo("prediction");
            assertThat(r.getOutputs(0).getDatatype()).isEqualTo("FP32");
            assertThat(r.getOutputs(0).getShapeList()).containsExactly(1L);
            assertThat(r.getOutputs(0).getContents().getFp32ContentsList()).containsExactly(expected(2, 1.5f, 2f, 3f));
            assertThat(r.getRawOutputContentsCount()).isZero();

            // Prometheus counts gRPC calls under their own protocol tag.
            String metrics = Fixture.get(server, "/metrics").body();
            assertThat(metrics).contains("protocol=\"grpc\"").contains("endpoint=\"infer\"");
        }
    }

    @Test
    void rawInputContentsInAMatrixAreAnsweredWithRawOutputContents() {
        try (PredictionServer server = start(1)) {
            int rows = 100;
            ByteBuffer in = ByteBuffer.allocate(rows * 3 * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int r = 0; r < rows; r++) {
                in.putFloat(r).putFloat(r * 0.5f).putFloat(-r);
            }
            ModelInferRequest req = ModelInferRequest.newBuilder().setModelName("bike").setModelVersion("1")
                    .addInputs(InferInputTensor.newBuilder().setName("x").setDatatype("FP32").addShape(rows).addShape(3))
                    .addRawInputContents(ByteString.copyFrom(in.array())).build();
            ModelInferResponse r = stub(server).modelInfer(req);
            assertThat(r.getOutputs(0).hasContents()).isFalse();
            assertThat(r.getOutputs(0).getShapeList()).containsExactly((long) rows);
            ByteBuffer out = r.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            assertThat(out.remaining()).isEqualTo(rows * 4);
            for (int row = 0; row < rows; row++) {
                assertThat(out.getFloat()).isEqualTo(expected(1, row, row * 0.5f, -row));
            }
        }
    }

    @Test
    void typedContentsOfEveryNumericDatatypeAreRead() {
        // One feature per OIP datatype carried in protobuf's typed fields; the model adds the bias of version 1.
        ModelSignature sig = new ModelSignature(List.of(new Feature("b", FeatureType.BOOL, false), new Feature("i8", FeatureType.INT8, false),
                new Feature("i64", FeatureType.INT64, false), new Feature("u32", FeatureType.UINT32, false),
                new Feature("u64", FeatureType.UINT64, false), new Feature("f64", FeatureType.FP64, false)),
                List.of(Feature.fp32("prediction")));
        try (PredictionServer server = PredictionServer.create(cfg -> cfg.grpcPort = 0)
                .start(Fixture.linear(dir, 1, "", sig))) {
            ModelInferRequest req = ModelInferRequest.newBuilder().setModelName("bike")
                    .addInputs(typed("b", "BOOL", InferTensorContents.newBuilder().addBoolContents(true)))
                    .addInputs(typed("i8", "INT8", InferTensorContents.newBuilder().addIntContents(-3)))
                    .addInputs(typed("i64", "INT64", InferTensorContents.newBuilder().addInt64Contents(7)))
                    .addInputs(typed("u32", "UINT32", InferTensorContents.newBuilder().addUintContents(5)))
                    .addInputs(typed("u64", "UINT64", InferTensorContents.newBuilder().addUint64Contents(2)))
                    .addInputs(typed("f64", "FP64", InferTensorContents.newBuilder().addFp64Contents(0.5)))
                    .build();
            float y = stub(server).modelInfer(req).getOutputs(0).getContents().getFp32Contents(0);
            // weights 1..6: 100 + 1*1 + 2*(-3) + 3*7 + 4*5 + 5*2 + 6*0.5
            assertThat(y).isEqualTo(100f + 1 - 6 + 21 + 20 + 10 + 3);
        }
    }

    private static InferInputTensor typed(String name, String datatype, InferTensorContents.Builder contents) {
        return InferInputTensor.newBuilder().setName(name).setDatatype(datatype).addShape(1).setContents(contents).build();
    }

    /** A bad request, as gRPC and as the same OIP JSON body, with the status and message both must give. */
    private record Bad(String what, ModelInferRequest grpc, String json, Status.Code code, int http, String message) {
    }

    @Test
    void badRequestsFailWithTheRestMessageAndTheMatchingStatus() {
        String ok = "{\"name\":\"hum\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[2]},{\"name\":\"wind\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[3]}";
        List<Bad> sweep = List.of(
                new Bad("bad datatype", ModelInferRequest.newBuilder().setModelName("bike")
                        .addInputs(fp32("temp", List.of(1L), 1f).setDatatype("STRING")).build(),
                        "{\"inputs\":[{\"name\":\"temp\",\"shape\":[1],\"datatype\":\"STRING\",\"data\":[1]}]}",
                        Status.Code.INVALID_ARGUMENT, 400, "has datatype 'STRING'"),
                new Bad("shape mismatch", ModelInferRequest.newBuilder().setModelName("bike")
                        .addInputs(fp32("temp", List.of(2L), 1f, 2f, 3f)).build(),
                        "{\"inputs\":[{\"name\":\"temp\",\"shape\":[2],\"datatype\":\"FP32\",\"data\":[1,2,3]}]}",
                        Status.Code.INVALID_ARGUMENT, 400, "has shape [2] (2 values) but its data holds 3"),
                new Bad("matrix of the wrong width", ModelInferRequest.newBuilder().setModelName("bike")
                        .addInputs(fp32("x", List.of(1L, 2L), 1f, 2f)).build(),
                        "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,2],\"datatype\":\"FP32\",\"data\":[1,2]}]}",
                        Status.Code.INVALID_ARGUMENT, 400, "must be one matrix of shape [N,3]"),
                new Bad("missing input", ModelInferRequest.newBuilder().setModelName("bike")
                        .addInputs(fp32("temp", List.of(1L), 1f)).build(),
                        "{\"inputs\":[{\"name\":\"temp\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}]}",
                        Status.Code.INVALID_ARGUMENT, 400, "missing input 'hum'"),
                new Bad("value outside the declared datatype", ModelInferRequest.newBuilder().setModelName("bike")
                        .addInputs(typed("temp", "INT8", InferTensorContents.newBuilder().addIntContents(300)))
                        .addInputs(fp32("hum", List.of(1L), 2f)).addInputs(fp32("wind", List.of(1L), 3f)).build(),
                        "{\"inputs\":[{\"name\":\"temp\",\"shape\":[1],\"datatype\":\"INT8\",\"data\":[300]}," + ok + "]}",
                        Status.Code.INVALID_ARGUMENT, 400, "it does not fit INT8"),
                new Bad("null in a feature that is not nullable", ModelInferRequest.newBuilder().setModelName("bike")
                        .addInputs(fp32("temp", List.of(1L), Float.NaN))
                        .addInputs(fp32("hum", List.of(1L), 2f)).addInputs(fp32("wind", List.of(1L), 3f)).build(),
                        "{\"inputs\":[{\"name\":\"temp\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[null]}," + ok + "]}",
                        Status.Code.INVALID_ARGUMENT, 400, "the feature is not nullable"),
                new Bad("unknown model", perFeature("taxi", 1f, 2f, 3f), "{\"inputs\":[]}",
                        Status.Code.NOT_FOUND, 404, "model 'taxi' is not served here"),
                new Bad("wrong version", perFeature("bike", 1f, 2f, 3f).toBuilder().setModelVersion("7").build(), null,
                        Status.Code.NOT_FOUND, 404, "version '7' of model 'bike' is not served here; the served version is 1"),
                new Bad("unknown output", perFeature("bike", 1f, 2f, 3f).toBuilder()
                        .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("proba")).build(),
                        "{\"inputs\":[{\"name\":\"temp\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}," + ok + "],\"outputs\":[{\"name\":\"proba\"}]}",
                        Status.Code.INVALID_ARGUMENT, 400, "unknown output 'proba'"));
        try (PredictionServer server = start(1)) {
            var grpc = stub(server);
            for (Bad bad : sweep) {
                StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                        () -> grpc.modelInfer(bad.grpc()), bad.what());
                assertThat(e.getStatus().getCode()).as(bad.what()).isEqualTo(bad.code());
                assertThat(e.getStatus().getDescription()).as(bad.what()).contains(bad.message());
                if (bad.json() != null) {
                    String path = bad.code() == Status.Code.NOT_FOUND ? "/v2/models/taxi/infer" : "/v2/models/bike/infer";
                    HttpResponse<String> rest = Fixture.postJson(server, path, bad.json());
                    assertThat(rest.statusCode()).as(bad.what()).isEqualTo(bad.http());
                    // Protobuf has no null: a missing FP32 value is NaN there, and the message says which it got.
                    assertThat(Fixture.error(rest)).as(bad.what() + ": REST and gRPC say the same")
                            .isEqualTo(e.getStatus().getDescription().replace("got NaN", "got null"));
                }
            }
        }
    }

    @Test
    void protobufOnlyMistakesAreNamedWithTheirFix() {
        try (PredictionServer server = start(1)) {
            var grpc = stub(server);
            Map<ModelInferRequest, String> sweep = Map.of(
                    ModelInferRequest.newBuilder().setModelName("bike").build(), "needs a non-empty 'inputs' list",
                    ModelInferRequest.newBuilder().setModelName("bike")
                            .addInputs(InferInputTensor.newBuilder().setName("x").setDatatype("FP32").addShape(1).addShape(3))
                            .addRawInputContents(ByteString.copyFrom(new byte[11])).build(),
                    "holds 11 bytes, not a whole number of FP32 values",
                    ModelInferRequest.newBuilder().setModelName("bike")
                            .addInputs(InferInputTensor.newBuilder().setName("x").setDatatype("FP32").addShape(1).addShape(3))
                            .addRawInputContents(ByteString.copyFrom(new byte[8])).build(),
                    "(3 values) but its data holds 2",
                    ModelInferRequest.newBuilder().setModelName("bike")
                            .addInputs(fp32("x", List.of(1L, 3L), 1f, 2f, 3f))
                            .addRawInputContents(ByteString.copyFrom(new byte[12])).build(),
                    "has 'contents' while the request uses raw_input_contents",
                    ModelInferRequest.newBuilder().setModelName("bike")
                            .addInputs(typed("temp", "INT32", InferTensorContents.newBuilder().addFp32Contents(1f))).build(),
                    "INT32 values go in int_contents",
                    ModelInferRequest.newBuilder().setModelName("bike")
                            .addInputs(typed("temp", "FP16", InferTensorContents.newBuilder().addFp32Contents(1f))).build(),
                    "send it in raw_input_contents");
            sweep.forEach((req, message) -> assertThatThrownBy(() -> grpc.modelInfer(req))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
                    .hasMessageContaining(message));
            assertThatThrownBy(() -> grpc.modelReady(ModelReadyRequest.newBuilder().setName("taxi").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
            assertThatThrownBy(() -> grpc.modelMetadata(ModelMetadataRequest.newBuilder().setName("bike").setVersion("3").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND))
                    .hasMessageContaining("the served version is 1");
        }
    }

    @Test
    void hotSwapDuringGrpcLoadDropsNoCallAndEachAnswerComesFromTheVersionItNames() throws Exception {
        try (PredictionServer server = start(1)) {
            var grpc = stub(server);
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger afterSwap = new AtomicInteger();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            List<Thread> clients = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                clients.add(Thread.ofPlatform().start(() -> {
                    while (running.get()) {
                        try {
                            ModelInferResponse r = grpc.modelInfer(perFeature("bike", 1f, 2f, 3f));
                            int version = Integer.parseInt(r.getModelVersion());
                            if (r.getOutputs(0).getContents().getFp32Contents(0) != expected(version, 1f, 2f, 3f)) {
                                failures.add("v" + version + " answered " + r.getOutputs(0).getContents());
                            } else {
                                ok.incrementAndGet();
                                if (version == 2) {
                                    afterSwap.incrementAndGet();
                                }
                            }
                        } catch (RuntimeException e) {
                            failures.add(e.toString());
                        }
                    }
                }));
            }
            assertThat(Fixture.await(() -> ok.get() >= 50, Duration.ofSeconds(60))).isTrue();
            server.swap(Fixture.linear(dir, 2));
            assertThat(Fixture.await(() -> afterSwap.get() >= 50, Duration.ofSeconds(60))).isTrue();
            running.set(false);
            for (Thread c : clients) {
                c.join();
            }
            assertThat(failures).isEmpty();
            assertThat(server.status().version()).isEqualTo(2);
        }
    }

    @Test
    void grpcIsOffUnlessAPortIsGivenAndABusyPortFailsTheStart() throws Exception {
        try (PredictionServer server = PredictionServer.create(cfg -> { }).start(Fixture.linear(dir, 1))) {
            assertThat(server.grpcPort()).isEqualTo(-1);
            int taken = server.port();
            assertThatThrownBy(() -> PredictionServer.create(cfg -> cfg.grpcPort = taken).start(Fixture.linear(dir, 1)))
                    .hasMessageContaining("cannot listen for gRPC on 127.0.0.1:" + taken);
        }
        assertThatThrownBy(() -> PredictionServer.create(cfg -> cfg.grpcPort = 70_000))
                .hasMessageContaining("grpcPort must be 0..65535");
        assertThat(new String(new byte[0], StandardCharsets.UTF_8)).isEmpty();
    }
}
