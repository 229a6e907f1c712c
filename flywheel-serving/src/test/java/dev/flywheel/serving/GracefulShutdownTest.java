package dev.flywheel.serving;

import dev.flywheel.serving.grpc.GRPCInferenceServiceGrpc;
import dev.flywheel.serving.grpc.InferTensorContents;
import dev.flywheel.serving.grpc.ModelInferRequest;
import dev.flywheel.serving.grpc.ModelInferRequest.InferInputTensor;
import dev.flywheel.serving.testmodel.LinearFormat;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.flywheel.serving.Fixture.expected;
import static dev.flywheel.serving.Fixture.json;
import static org.assertj.core.api.Assertions.assertThat;

class GracefulShutdownTest {
    @TempDir
    Path dir;

    @Test
    void requestsInFlightDuringCloseCompleteSuccessfully() throws Exception {
        PredictionServer server = PredictionServer.create(cfg -> { })
                .start(Fixture.linear(dir, 4, "delay-ms=400", Fixture.SIGNATURE));
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            inFlight.add(Fixture.CLIENT.sendAsync(HttpRequest.newBuilder(Fixture.uri(server, "/invocations"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"instances\": [[1, 2, " + i + "]]}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        Fixture.await(() -> server.status().inFlightRequests() == 4, Duration.ofSeconds(10));
        assertThat(server.status().inFlightRequests()).isEqualTo(4);

        server.close();
        server.close();

        for (int i = 0; i < inFlight.size(); i++) {
            HttpResponse<String> r = inFlight.get(i).join();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(json(r).path("predictions").get(0).floatValue()).isEqualTo(expected(4, 1, 2, i));
        }
        assertThat(dev.flywheel.serving.testmodel.LinearFormat.OPEN.get()).isZero();
    }

    @Test
    void closeDrainsGrpcAndRestTogetherWithinOneShutdownTimeout() throws Exception {
        long timeout = 3_000;
        PredictionServer server = PredictionServer.create(cfg -> {
            cfg.grpcPort = 0;
            cfg.shutdownTimeoutMillis = timeout;
        }).start(Fixture.linear(dir, 4, "delay-ms=12000", Fixture.SIGNATURE));
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
        try {
            // One call held by the model on each listener, both past the shutdown timeout.
            var grpcCall = GRPCInferenceServiceGrpc.newFutureStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .modelInfer(ModelInferRequest.newBuilder().setModelName("bike").addInputs(InferInputTensor.newBuilder()
                            .setName("features").setDatatype("FP32").addShape(1).addShape(3)
                            .setContents(InferTensorContents.newBuilder().addFp32Contents(1).addFp32Contents(2).addFp32Contents(3)))
                            .build());
            var restCall = Fixture.CLIENT.sendAsync(HttpRequest.newBuilder(Fixture.uri(server, "/invocations"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"instances\": [[1, 2, 3]]}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(Fixture.await(() -> LinearFormat.DELAYED.get() == 2, Duration.ofSeconds(20))).isTrue();

            long start = System.nanoTime();
            server.close();
            long tookMillis = (System.nanoTime() - start) / 1_000_000;

            // Both listeners drain against one deadline: one timeout, then Jetty's own stop (its thread pool waits a
            // bounded while for the held request, then interrupts it); draining one listener after the other took two.
            assertThat(tookMillis).isGreaterThanOrEqualTo(timeout - 100).isLessThan(2 * timeout + 1_000);
            grpcCall.cancel(true);
            restCall.cancel(true);
            // The cut calls' model threads end, and the model is closed, before the next test counts open models.
            assertThat(Fixture.await(() -> LinearFormat.DELAYED.get() == 0 && LinearFormat.OPEN.get() == 0, Duration.ofSeconds(30))).isTrue();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
