package dev.flywheel.serving;

import dev.flywheel.serving.grpc.GRPCInferenceServiceGrpc;
import dev.flywheel.serving.grpc.InferTensorContents;
import dev.flywheel.serving.grpc.ModelInferRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.flywheel.serving.Fixture.expected;
import static org.assertj.core.api.Assertions.assertThat;

/** Adaptive batching: concurrent one-row requests share model calls, and each caller gets exactly its own answer. */
class AdaptiveBatchingTest {
    @TempDir
    Path dir;

    /** Model calls and rows scored so far, from the server's own Prometheus metrics. */
    private static long[] calls(PredictionServer server) {
        String metrics = Fixture.get(server, "/metrics").body();
        long count = 0;
        long rows = 0;
        Matcher c = Pattern.compile("flywheel_serving_model_call_rows_count\\{[^}]*version=\"1\"[^}]*} (\\S+)").matcher(metrics);
        if (c.find()) {
            count = (long) Double.parseDouble(c.group(1));
        }
        Matcher s = Pattern.compile("flywheel_serving_model_call_rows_sum\\{[^}]*version=\"1\"[^}]*} (\\S+)").matcher(metrics);
        if (s.find()) {
            rows = (long) Double.parseDouble(s.group(1));
        }
        return new long[]{count, rows};
    }

    private static String row(float temp, float hum, float wind) {
        return "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[" + temp + "," + hum + "," + wind + "]}]}";
    }

    @Test
    void concurrentOneRowRequestsOverRestAndGrpcShareOneModelCallAndEachGetsItsOwnAnswer() throws Exception {
        int clients = 16;
        // A wait far longer than the test: the batch starts because it is full, not because the wait ran out.
        try (PredictionServer server = PredictionServer.create(cfg -> {
            cfg.batchMaxSize = clients;
            cfg.batchMaxWaitMicros = 1_000_000;
            cfg.grpcPort = 0;
        }).start(Fixture.linear(dir, 1))) {
            long[] before = calls(server);
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
            try {
                var grpc = GRPCInferenceServiceGrpc.newBlockingStub(channel);
                ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
                CountDownLatch go = new CountDownLatch(1);
                List<Thread> threads = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    float temp = i;
                    boolean overGrpc = i % 2 == 0;
                    threads.add(Thread.ofPlatform().start(() -> {
                        try {
                            go.await();
                            float got;
                            if (overGrpc) {
                                got = grpc.withDeadlineAfter(60, TimeUnit.SECONDS).modelInfer(ModelInferRequest.newBuilder()
                                        .setModelName("bike").addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x")
                                                .setDatatype("FP32").addShape(1).addShape(3).setContents(InferTensorContents.newBuilder()
                                                        .addFp32Contents(temp).addFp32Contents(1).addFp32Contents(2))).build())
                                        .getOutputs(0).getContents().getFp32Contents(0);
                            } else {
                                HttpResponse<String> r = Fixture.postJson(server, "/v2/models/bike/infer", row(temp, 1, 2));
                                got = Fixture.json(r).at("/outputs/0/data/0").floatValue();
                            }
                            if (got != expected(1, temp, 1, 2)) {
                                wrong.add("client " + temp + " got " + got);
                            }
                        } catch (Exception | AssertionError e) {
                            wrong.add("client " + temp + ": " + e);
                        }
                    }));
                }
                go.countDown();
                for (Thread t : threads) {
                    t.join();
                }
                assertThat(wrong).isEmpty();
                long[] after = calls(server);
                assertThat(after[1] - before[1]).as("rows scored").isEqualTo(clients);
                assertThat(after[0] - before[0]).as("model calls for " + clients + " concurrent one-row requests")
                        .isLessThan(clients / 2);
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aLoneRequestWaitsForCompanyNoLongerThanTheBoundAndABadOneFailsAlone() {
        long waitMicros = 300_000;
        try (PredictionServer server = PredictionServer.create(cfg -> {
            cfg.batchMaxSize = 64;
            cfg.batchMaxWaitMicros = waitMicros;
        }).start(Fixture.linear(dir, 1))) {
            Fixture.postJson(server, "/v2/models/bike/infer", row(0, 0, 0));
            long start = System.nanoTime();
            HttpResponse<String> r = Fixture.postJson(server, "/v2/models/bike/infer", row(1, 2, 3));
            long tookMicros = (System.nanoTime() - start) / 1_000;
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(Fixture.json(r).at("/outputs/0/data/0").floatValue()).isEqualTo(expected(1, 1, 2, 3));
            // It waited for others (no one came), then was scored: at least the bound, and not much more.
            assertThat(tookMicros).isGreaterThanOrEqualTo(waitMicros).isLessThan(waitMicros + 20_000_000);

            // A request the model cannot take fails alone, with the same 400 as without batching.
            HttpResponse<String> bad = Fixture.postJson(server, "/v2/models/bike/infer",
                    "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,null,3]}]}");
            assertThat(bad.statusCode()).isEqualTo(400);
            // A many-row request is scored at once, without waiting.
            long bigStart = System.nanoTime();
            StringBuilder rows = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                rows.append(i == 0 ? "" : ",").append("1,2,3");
            }
            HttpResponse<String> big = Fixture.postJson(server, "/v2/models/bike/infer",
                    "{\"inputs\":[{\"name\":\"x\",\"shape\":[100,3],\"datatype\":\"FP32\",\"data\":[" + rows + "]}]}");
            assertThat(big.statusCode()).isEqualTo(200);
            assertThat(Fixture.json(big).at("/outputs/0/data")).hasSize(100);
            assertThat((System.nanoTime() - bigStart) / 1_000).isLessThan(waitMicros + 20_000_000);
        }
    }

    @Test
    void batchingIsOffByDefaultSoEachRequestIsItsOwnModelCall() throws Exception {
        try (PredictionServer server = PredictionServer.create(cfg -> { }).start(Fixture.linear(dir, 1))) {
            long[] before = calls(server);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                threads.add(Thread.ofPlatform().start(() -> Fixture.postJson(server, "/v2/models/bike/infer", row(1, 2, 3))));
            }
            for (Thread t : threads) {
                t.join();
            }
            long[] after = calls(server);
            assertThat(after[0] - before[0]).isEqualTo(8);
            assertThat(after[1] - before[1]).isEqualTo(8);
        }
        assertThat(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> PredictionServer.create(cfg -> cfg.batchMaxWaitMicros = -1))).hasMessageContaining("batchMaxWaitMicros");
        assertThat(StatusRuntimeException.class).isNotNull();
    }
}
