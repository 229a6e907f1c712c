package dev.flywheel.serving;

import dev.flywheel.serving.api.ModelVersionSpec;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.ModelSignature;
import dev.flywheel.serving.api.ServerFlags;
import dev.flywheel.serving.api.SwapCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link PredictionServer} as its own process, as the local deployer launches it (the flags are
 * {@link ServerFlags}, the one type the deployer writes them with):
 * <pre>
 * java dev.flywheel.serving.ServerMain --model-name bike --model-version 3 --format xgboost \
 *     --model-file model.json --signature-file signature.json [--model-sha256 HEX] [--host 127.0.0.1] [--port 0] \
 *     [--admin-token-file token] [--ready-file ready] [--max-body-bytes N] [--max-connections N] \
 *     [--idle-timeout-ms N] [--read-timeout-ms N] [--grpc-port G] [--batch-max-size N] [--batch-max-wait-us U]
 *     [--prediction-log-dir DIR] [--prediction-log-sample-rate 1.0]
 * </pre>
 * The admin token is read from {@code --admin-token-file}, else from the environment variable
 * {@value ServerFlags#ADMIN_TOKEN_ENV} (how the local deployer's supervisor hands it over); without either the admin
 * endpoints are off.
 * With {@code --grpc-port} the Open Inference Protocol is served over gRPC too, on that port of the same host.
 * With {@code --prediction-log-dir} every answered request (or the sampled share) is logged there as hourly Parquet
 * files; a {@code kill -9} loses at most the last flush interval (200 ms) of them.
 * Once listening it writes the bound port to the ready file (temp file + atomic rename), so the parent never reads
 * a half-written port. With {@code --model-sha256} (the deployer always passes the registry's hash) a model file
 * with other bytes is refused with exit code 10 (CORRUPT) and nothing is served. SIGTERM shuts down gracefully. Exit codes
 * follow {@link ErrorCode}.
 */
public final class ServerMain {
    private static final Logger log = LoggerFactory.getLogger(ServerMain.class);

    private ServerMain() {
    }

    public static void main(String[] args) {
        PredictionServer server;
        Path readyFile;
        try {
            ServerFlags flags = ServerFlags.parse(List.of(args));
            ModelSignature signature = SwapCodec.readSignature(flags.signatureFile());
            ModelVersionSpec spec = new ModelVersionSpec(flags.modelName(), flags.modelVersion(), flags.format(), flags.modelFile(), signature,
                    flags.modelSha256());
            String token = flags.adminTokenFile() != null ? readToken(flags.adminTokenFile()) : tokenFromEnvironment();
            readyFile = flags.readyFile();
            server = PredictionServer.create(cfg -> {
                cfg.host = flags.host();
                cfg.port = flags.port();
                cfg.adminToken = token;
                if (flags.maxBodyBytes() != null) {
                    cfg.maxBodyBytes = flags.maxBodyBytes();
                }
                if (flags.maxConnections() != null) {
                    cfg.maxConnections = flags.maxConnections();
                }
                if (flags.idleTimeoutMs() != null) {
                    cfg.idleTimeoutMillis = flags.idleTimeoutMs();
                }
                if (flags.readTimeoutMs() != null) {
                    cfg.requestReadTimeoutMillis = flags.readTimeoutMs();
                }
                cfg.grpcPort = flags.grpcPort();
                if (flags.batchMaxSize() != null) {
                    cfg.batchMaxSize = flags.batchMaxSize();
                }
                if (flags.batchMaxWaitUs() != null) {
                    cfg.batchMaxWaitMicros = flags.batchMaxWaitUs();
                }
                cfg.predictionLogDir = flags.predictionLogDir();
                if (flags.predictionLogSampleRate() != null) {
                    cfg.predictionLogSampleRate = flags.predictionLogSampleRate();
                }
            }).start(spec);
            if (readyFile != null) {
                // What this server runs with beyond its REST port, for `served-models describe`; written before the
                // ready file, so whoever sees the port sees these too.
                ServerConfig defaults = new ServerConfig();
                int batchSize = flags.batchMaxSize() != null ? flags.batchMaxSize() : defaults.batchMaxSize;
                long batchWait = flags.batchMaxWaitUs() != null ? flags.batchMaxWaitUs() : defaults.batchMaxWaitMicros;
                writeAtomically(readyFile.resolveSibling(readyFile.getFileName() + ".serving"),
                        "grpc.port=" + server.grpcPort() + "\nbatch.max.size=" + batchSize + "\nbatch.max.wait.us=" + batchWait + "\n");
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

    private static String tokenFromEnvironment() {
        String token = System.getenv(ServerFlags.ADMIN_TOKEN_ENV);
        if (token == null) {
            return null;
        }
        if (token.isBlank()) {
            throw FlywheelException.invalid("the environment variable " + ServerFlags.ADMIN_TOKEN_ENV + " is empty; give the admin token"
                    + " there or leave it unset to turn the admin endpoints off");
        }
        return token.strip();
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
