package dev.flywheel.serving;

import io.javalin.Javalin;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Servers for flywheel-bench/wrk/serve-bench.sh: {@code serving [virtual]} runs a PredictionServer with the test
 * linear model (3 features); a second argument {@code virtual} or a worker-thread count selects the threading; {@code hello} runs a bare Javalin "hello world" on the same stack and thread pool, the
 * baseline for the overhead ratio; {@code serving-logged} is {@code serving} with the prediction log on (every request,
 * into a temporary folder, the files' size printed to stderr at exit). Prints nothing else; writes the port to the file given as the last argument.
 */
public final class BenchServerMain {
    private BenchServerMain() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        Path portFile = Path.of(args[args.length - 1]);
        AutoCloseable server;
        int port;
        boolean virtual = args.length > 2 && args[1].equals("virtual");
        int threads = args.length > 2 && args[1].matches("\\d+") ? Integer.parseInt(args[1]) : 32;
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
            Path logs = kind.equals("serving-logged") ? dir.resolve("predictions") : null;
            PredictionServer ps = PredictionServer.create(cfg -> {
                cfg.virtualThreads = virtual;
                cfg.maxThreads = threads;
                cfg.predictionLogDir = logs;
            }).start(Fixture.linear(dir, 1));
            port = ps.port();
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
}
