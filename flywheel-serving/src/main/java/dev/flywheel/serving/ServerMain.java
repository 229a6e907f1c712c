package dev.flywheel.serving;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.ModelSignature;
import dev.flywheel.serving.internal.SpecJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link PredictionServer} as its own process, as the local deployer launches it:
 * <pre>
 * java dev.flywheel.serving.ServerMain --model-name bike --model-version 3 --format xgboost \
 *     --model-file model.json --signature-file signature.json [--model-sha256 HEX] [--host 127.0.0.1] [--port 0] \
 *     [--admin-token-file token] [--ready-file ready] [--max-body-bytes N] [--max-connections N] \
 *     [--idle-timeout-ms N] [--read-timeout-ms N] [--prediction-log-dir DIR] [--prediction-log-sample-rate 1.0]
 * </pre>
 * With {@code --prediction-log-dir} every answered request (or the sampled share) is logged there as hourly Parquet
 * files; a {@code kill -9} loses at most the last flush interval (200 ms) of them.
 * Once listening it writes the bound port to the ready file (temp file + atomic rename), so the parent never reads
 * a half-written port. With {@code --model-sha256} (the deployer always passes the registry's hash) a model file
 * with other bytes is refused with exit code 10 (CORRUPT) and nothing is served. SIGTERM shuts down gracefully. Exit codes
 * follow {@link ErrorCode}.
 */
public final class ServerMain {
    private static final Logger log = LoggerFactory.getLogger(ServerMain.class);
    private static final List<String> FLAGS = List.of("--model-name", "--model-version", "--format", "--model-file",
            "--signature-file", "--model-sha256", "--host", "--port", "--admin-token-file", "--ready-file", "--max-body-bytes",
            "--max-connections", "--idle-timeout-ms", "--read-timeout-ms", "--prediction-log-dir", "--prediction-log-sample-rate");
    private static final String USAGE = "usage: ServerMain --model-name NAME --model-version N --format FORMAT "
            + "--model-file PATH --signature-file PATH [--model-sha256 HEX] [--host 127.0.0.1] [--port 0] "
            + "[--admin-token-file PATH] [--ready-file PATH] [--max-body-bytes N] [--max-connections N] "
            + "[--idle-timeout-ms N] [--read-timeout-ms N] [--prediction-log-dir DIR] [--prediction-log-sample-rate 0..1]";

    private ServerMain() {
    }

    public static void main(String[] args) {
        PredictionServer server;
        Path readyFile;
        try {
            Map<String, String> opts = parse(args);
            ModelSignature signature = SpecJson.readSignature(Path.of(required(opts, "--signature-file")));
            ModelVersionSpec spec = new ModelVersionSpec(required(opts, "--model-name"),
                    integer(opts, "--model-version", null), required(opts, "--format"),
                    Path.of(required(opts, "--model-file")), signature, opts.get("--model-sha256"));
            String token = opts.containsKey("--admin-token-file") ? readToken(Path.of(opts.get("--admin-token-file"))) : null;
            readyFile = opts.containsKey("--ready-file") ? Path.of(opts.get("--ready-file")) : null;
            server = PredictionServer.create(cfg -> {
                cfg.host = opts.getOrDefault("--host", "127.0.0.1");
                cfg.port = integer(opts, "--port", 0);
                cfg.adminToken = token;
                if (opts.containsKey("--max-body-bytes")) {
                    cfg.maxBodyBytes = integer(opts, "--max-body-bytes", null);
                }
                if (opts.containsKey("--max-connections")) {
                    cfg.maxConnections = integer(opts, "--max-connections", null);
                }
                if (opts.containsKey("--idle-timeout-ms")) {
                    cfg.idleTimeoutMillis = integer(opts, "--idle-timeout-ms", null);
                }
                if (opts.containsKey("--read-timeout-ms")) {
                    cfg.requestReadTimeoutMillis = integer(opts, "--read-timeout-ms", null);
                }
                if (opts.containsKey("--prediction-log-dir")) {
                    cfg.predictionLogDir = Path.of(opts.get("--prediction-log-dir"));
                }
                if (opts.containsKey("--prediction-log-sample-rate")) {
                    cfg.predictionLogSampleRate = rate(opts.get("--prediction-log-sample-rate"));
                }
            }).start(spec);
            if (readyFile != null) {
                writeAtomically(readyFile, server.port() + "\n");
            }
        } catch (FlywheelException e) {
            fail(e.code(), e.getMessage());
            return;
        } catch (IllegalArgumentException e) {
            fail(ErrorCode.INVALID_ARGUMENT, e.getMessage());
            return;
        } catch (IOException e) {
            fail(ErrorCode.INVALID_ARGUMENT, e.getMessage());
            return;
        } catch (RuntimeException e) {
            log.error("prediction server failed to start", e);
            fail(ErrorCode.UNAVAILABLE, "prediction server failed to start: " + e.getMessage());
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        PredictionServer running = server;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutdown requested; finishing in-flight requests");
            running.close();
            stopped.countDown();
        }, "serving-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void fail(ErrorCode code, String message) {
        System.err.println("error: " + message);
        System.exit(code.exitCode());
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (!FLAGS.contains(flag)) {
                throw FlywheelException.invalid("unknown argument '" + flag + "'\n" + USAGE);
            }
            if (i + 1 >= args.length) {
                throw FlywheelException.invalid(flag + " needs a value\n" + USAGE);
            }
            opts.put(flag, args[++i]);
        }
        return opts;
    }

    private static String required(Map<String, String> opts, String flag) {
        String v = opts.get(flag);
        if (v == null || v.isBlank()) {
            throw FlywheelException.invalid("missing " + flag + "\n" + USAGE);
        }
        return v;
    }

    private static int integer(Map<String, String> opts, String flag, Integer fallback) {
        String v = fallback == null ? required(opts, flag) : opts.get(flag);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw FlywheelException.invalid(flag + " must be an integer, got '" + v + "'");
        }
    }

    private static double rate(String v) {
        try {
            return Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            throw FlywheelException.invalid("--prediction-log-sample-rate must be a number > 0 and <= 1, got '" + v + "'");
        }
    }

    private static String readToken(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw FlywheelException.invalid("admin token file " + file.toAbsolutePath() + " does not exist");
        }
        String token = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (token.isEmpty()) {
            throw FlywheelException.invalid("admin token file " + file.toAbsolutePath() + " is empty");
        }
        return token;
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
