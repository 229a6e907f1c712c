package dev.flywheel.bench.serving;

import com.google.protobuf.ByteString;
import dev.flywheel.serving.grpc.GRPCInferenceServiceGrpc;
import dev.flywheel.serving.grpc.ModelInferRequest;
import dev.flywheel.serving.grpc.ModelInferResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A gRPC ModelInfer load generator (ghz is not packaged): {@code CONCURRENCY} calls in flight at once over one HTTP/2
 * connection (closed loop), or with {@code RATE > 0} calls started on a fixed schedule (open loop, latency from the due
 * time). Each call carries {@code ROWS} rows of {@code COLUMNS} FP32 values as raw_input_contents in one {@code [ROWS,
 * COLUMNS]} tensor named {@code TENSOR}.
 * <pre>java -cp ... dev.flywheel.bench.serving.GrpcLoad PORT MODEL TENSOR COLUMNS ROWS SECONDS CONCURRENCY [RATE]</pre>
 * Prints calls/s, rows/s, p50/p99/max latency and errors on one line each.
 */
public final class GrpcLoad {
    private GrpcLoad() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String model = args[1];
        String tensor = args[2];
        int columns = Integer.parseInt(args[3]);
        int rows = Integer.parseInt(args[4]);
        int seconds = Integer.parseInt(args[5]);
        int concurrency = Integer.parseInt(args[6]);
        int rate = args.length > 7 ? Integer.parseInt(args[7]) : 0;
        ByteBuffer raw = ByteBuffer.allocate(rows * columns * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < rows * columns; i++) {
            raw.putFloat((i % 17) * 0.25f);
        }
        ModelInferRequest request = ModelInferRequest.newBuilder().setModelName(model)
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName(tensor).setDatatype("FP32")
                        .addShape(rows).addShape(columns))
                .addRawInputContents(ByteString.copyFrom(raw.array())).build();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            var stub = GRPCInferenceServiceGrpc.newStub(channel);
            GRPCInferenceServiceGrpc.newBlockingStub(channel).modelInfer(request); // connect and check before timing
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            long[] latencies = new long[1 << 24];
            AtomicLong recorded = new AtomicLong();
            AtomicLong errors = new AtomicLong();
            Semaphore inFlight = new Semaphore(concurrency);
            long start = System.nanoTime();
            long due = start;
            long interval = rate > 0 ? 1_000_000_000L / rate : 0;
            long sent = 0;
            while (System.nanoTime() < end) {
                long from;
                if (rate > 0) {
                    due = start + sent * interval;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    from = due;
                    if (!inFlight.tryAcquire(1, TimeUnit.SECONDS)) {
                        errors.incrementAndGet();
                        continue;
                    }
                } else {
                    inFlight.acquire();
                    from = System.nanoTime();
                }
                sent++;
                long t0 = from;
                stub.modelInfer(request, new StreamObserver<>() {
                    @Override
                    public void onNext(ModelInferResponse value) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        errors.incrementAndGet();
                        inFlight.release();
                    }

                    @Override
                    public void onCompleted() {
                        long i = recorded.getAndIncrement();
                        if (i < latencies.length) {
                            latencies[(int) i] = System.nanoTime() - t0;
                        }
                        inFlight.release();
                    }
                });
            }
            inFlight.acquire(concurrency);
            double took = (System.nanoTime() - start) / 1e9;
            int n = (int) Math.min(recorded.get(), latencies.length);
            long[] sorted = Arrays.copyOf(latencies, n);
            Arrays.sort(sorted);
            System.out.printf("calls/s %.0f  rows/s %.0f  p50 %.3f ms  p99 %.3f ms  max %.3f ms  calls %d  errors %d%n",
                    n / took, n * (double) rows / took, pct(sorted, 0.50), pct(sorted, 0.99),
                    n == 0 ? 0 : sorted[n - 1] / 1e6, n, errors.get());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
    }
}
