package dev.flywheel.serving;

import dev.flywheel.formats.ModelChecksum;
import dev.flywheel.formats.ModelFormats;
import dev.flywheel.sdk.model.ModelSignature;
import dev.flywheel.serving.api.ModelVersionSpec;
import io.javalin.Javalin;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Servers for flywheel-bench/wrk/serve-bench.sh and dataplane-bench.sh.
 * <ul>
 *   <li>{@code serving [virtual|THREADS] [grpc] [batch=N:MICROS] [onnx]}: a PredictionServer with the test linear
 *       model (3 features, model name {@code bike}) or, with {@code onnx}, scikit-learn's ridge regressor (one FP32
 *       tensor {@code features [N,12]}, model name {@code ridge}); {@code grpc} adds a gRPC port (written to
 *       PORTFILE.grpc); {@code batch=} turns adaptive batching on.</li>
 *   <li>{@code serving-logged ...}: {@code serving} with the prediction log on (every request, into a temporary
 *       folder; what it wrote is printed to stderr at exit), for prediction-log-bench.sh.</li>
 *   <li>{@code hello [virtual|THREADS]}: a bare Javalin "hello world" POST on the same stack and thread pool.</li>
 * </ul>
 * Prints nothing; writes the port to the file given as the last argument.
 */
public final class BenchServerMain {
    private BenchServerMain() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        Path portFile = Path.of(args[args.length - 1]);
        List<String> options = List.of(args).subList(1, args.length - 1);
        boolean virtual = options.contains("virtual");
        int threads = options.stream().filter(o -> o.matches("\\d+")).map(Integer::parseInt).findFirst().orElse(32);
        boolean grpc = options.contains("grpc");
        boolean onnx = options.contains("onnx");
        String batch = options.stream().filter(o -> o.startsWith("batch=")).map(o -> o.substring(6)).findFirst().orElse(null);
        AutoCloseable server;
        int port;
        if (kind.equals("hello")) {
            Javalin app = Javalin.create(cfg -> {
                cfg.startup.showJavalinBanner = false;
                cfg.jetty.host = "127.0.0.1";
                cfg.jetty.port = 0;
                if (virtual) {
                    cfg.concurrency.useVirtualThreads = true;
                } else {
                    cfg.jetty.threadPool = new QueuedThreadPool(threads, Math.min(8, threads));
                }
                cfg.routes.post("/hello", ctx -> ctx.contentType("application/json").result("{\"hello\":\"world\"}"));
            }).start();
            port = app.port();
            server = app::stop;
        } else {
            Path dir = Files.createTempDirectory("bench-model");
            ModelVersionSpec spec = onnx ? ridge(dir) : Fixture.linear(dir, 1);
            Path logs = kind.equals("serving-logged") ? dir.resolve("predictions") : null;
            PredictionServer ps = PredictionServer.create(cfg -> {
                cfg.predictionLogDir = logs;
                cfg.virtualThreads = virtual;
                cfg.maxThreads = threads;
                cfg.grpcPort = grpc ? 0 : null;
                if (batch != null) {
                    cfg.batchMaxSize = Integer.parseInt(batch.split(":")[0]);
                    cfg.batchMaxWaitMicros = Long.parseLong(batch.split(":")[1]);
                }
            }).start(spec);
            port = ps.port();
            if (grpc) {
                Files.writeString(Path.of(portFile + ".grpc"), Integer.toString(ps.grpcPort()));
            }
            server = () -> {
                ps.close();
                if (logs != null) {
                    var stats = ps.predictionLogStats();
                    long bytes;
                    try (var files = Files.walk(logs)) {
                        bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
                    }
                    System.err.printf("prediction log: %d requests offered, %d rows written, %d requests dropped, %d bytes on disk%n",
                            stats.offered(), stats.writtenRows(), stats.dropped(), bytes);
                }
            };
        }
        Files.writeString(portFile, Integer.toString(port));
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception ignored) {
                // exiting anyway
            }
            done.countDown();
        }));
        done.await();
    }

    private static ModelVersionSpec ridge(Path dir) throws Exception {
        Path model = dir.resolve("ridge_regressor.onnx");
        try (var in = BenchServerMain.class.getResourceAsStream("/onnx/sklearn/ridge_regressor.onnx")) {
            Files.copy(in, model);
        }
        byte[] bytes = Files.readAllBytes(model);
        ModelSignature signature = ModelFormats.load().get("onnx").describe(bytes, model.toString()).orElseThrow()
                .signature(null, model.toString());
        return new ModelVersionSpec("ridge", 1, "onnx", model, signature, ModelChecksum.of(bytes));
    }
}
