package dev.flywheel.serving.api;

import dev.flywheel.sdk.FlywheelException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a prediction server process is started: the command-line flags of {@value #MAIN_CLASS}, as one type both the
 * launcher ({@link #toArgs()}) and the server ({@link #parse(List)}) use, so a flag is added in one place.
 * <pre>
 * java dev.flywheel.serving.ServerMain --model-name bike --model-version 3 --format xgboost \
 *     --model-file model.json --signature-file signature.json [--model-sha256 HEX] [--host 127.0.0.1] [--port 0] \
 *     [--admin-token-file token] [--ready-file ready] [--max-body-bytes N] [--max-connections N] \
 *     [--idle-timeout-ms N] [--read-timeout-ms N] [--grpc-port G] \
 *     [--batch-max-size N] [--batch-max-wait-us U] \
 *     [--prediction-log-dir DIR] [--prediction-log-sample-rate 0..1]
 * </pre>
 *
 * @param modelName      the registered model's name
 * @param modelVersion   its version, at least 1
 * @param format         the model format's name
 * @param modelFile      the model file
 * @param signatureFile  its signature ({@link SwapCodec#readSignature})
 * @param modelSha256    the registry's sha256 of the file (the server refuses other bytes), or null
 * @param host           the address to listen on ({@code 127.0.0.1} unless told otherwise)
 * @param port           the port, 0 for any free one
 * @param adminTokenFile the file holding the admin token, or null: then the token is {@link #ADMIN_TOKEN_ENV}'s value,
 *                       and without either the admin endpoints are off
 * @param readyFile      where the server writes its bound port once it listens, or null
 * @param maxBodyBytes   request body limit, or null for the server's default
 * @param maxConnections connection cap, or null for the default
 * @param idleTimeoutMs  idle connection timeout, or null for the default
 * @param readTimeoutMs  time to read one request, or null for the default
 * @param grpcPort       the port of the Open Inference Protocol over gRPC on the same host (0 for any free one), or
 *                       null for no gRPC
 * @param batchMaxSize   adaptive batching: most rows per model call (0 or 1 = off), or null for off
 * @param batchMaxWaitUs adaptive batching: most microseconds a request waits for others, or null for the default
 * @param predictionLogDir        the folder answered requests are logged to (hourly Parquet files), or null for none
 * @param predictionLogSampleRate share of requests logged, {@code 0 < rate <= 1}, or null for every request
 */
public record ServerFlags(String modelName, int modelVersion, String format, Path modelFile, Path signatureFile, String modelSha256,
                          String host, int port, Path adminTokenFile, Path readyFile, Integer maxBodyBytes, Integer maxConnections,
                          Integer idleTimeoutMs, Integer readTimeoutMs, Integer grpcPort, Integer batchMaxSize,
                          Integer batchMaxWaitUs, Path predictionLogDir, Double predictionLogSampleRate) {
    /** The server's main class: the deployer runs it, never links it. */
    public static final String MAIN_CLASS = "dev.flywheel.serving.ServerMain";
    public static final String DEFAULT_HOST = "127.0.0.1";
    /**
     * The environment variable a launcher hands the admin token in (used when no {@code --admin-token-file} is given):
     * unlike argv, a process's environment is readable only by its owner, and no file holds the token in plain.
     */
    public static final String ADMIN_TOKEN_ENV = "FLYWHEEL_ADMIN_TOKEN";
    public static final String USAGE = "usage: ServerMain --model-name NAME --model-version N --format FORMAT "
            + "--model-file PATH --signature-file PATH [--model-sha256 HEX] [--host 127.0.0.1] [--port 0] "
            + "[--admin-token-file PATH] [--ready-file PATH] [--max-body-bytes N] [--max-connections N] "
            + "[--idle-timeout-ms N] [--read-timeout-ms N] [--grpc-port G] [--batch-max-size N] [--batch-max-wait-us U] "
            + "[--prediction-log-dir PATH] [--prediction-log-sample-rate 0..1]";
    private static final List<String> FLAGS = List.of("--model-name", "--model-version", "--format", "--model-file",
            "--signature-file", "--model-sha256", "--host", "--port", "--admin-token-file", "--ready-file", "--max-body-bytes",
            "--max-connections", "--idle-timeout-ms", "--read-timeout-ms", "--grpc-port", "--batch-max-size",
            "--batch-max-wait-us", "--prediction-log-dir", "--prediction-log-sample-rate");

    public ServerFlags {
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(modelFile, "modelFile");
        Objects.requireNonNull(signatureFile, "signatureFile");
        host = host == null ? DEFAULT_HOST : host;
        if (predictionLogSampleRate != null && !(predictionLogSampleRate > 0 && predictionLogSampleRate <= 1)) {
            throw FlywheelException.invalid("--prediction-log-sample-rate must be a number > 0 and <= 1, got " + predictionLogSampleRate);
        }
        if (grpcPort != null && (grpcPort < 0 || grpcPort > 65535)) {
            throw FlywheelException.invalid("--grpc-port must be 0..65535 (0 picks a free port), got " + grpcPort);
        }
        if (batchMaxSize != null && (batchMaxSize < 0 || batchMaxSize > 65536)) {
            throw FlywheelException.invalid("--batch-max-size must be 0..65536 rows (0 or 1 = no batching), got " + batchMaxSize);
        }
        if (batchMaxWaitUs != null && (batchMaxWaitUs < 0 || batchMaxWaitUs > 1_000_000)) {
            throw FlywheelException.invalid("--batch-max-wait-us must be 0..1000000 microseconds, got " + batchMaxWaitUs);
        }
    }

    /** The required flags; everything else at its default. */
    public static ServerFlags of(String modelName, int modelVersion, String format, Path modelFile, Path signatureFile) {
        return new ServerFlags(modelName, modelVersion, format, modelFile, signatureFile, null, DEFAULT_HOST, 0, null, null, null, null, null, null, null, null, null, null, null);
    }

    public ServerFlags withSha256(String sha256) {
        return new ServerFlags(modelName, modelVersion, format, modelFile, signatureFile, sha256, host, port, adminTokenFile, readyFile,
                maxBodyBytes, maxConnections, idleTimeoutMs, readTimeoutMs, grpcPort, batchMaxSize, batchMaxWaitUs, predictionLogDir, predictionLogSampleRate);
    }

    public ServerFlags withListen(String newHost, int newPort) {
        return new ServerFlags(modelName, modelVersion, format, modelFile, signatureFile, modelSha256, newHost, newPort, adminTokenFile,
                readyFile, maxBodyBytes, maxConnections, idleTimeoutMs, readTimeoutMs, grpcPort, batchMaxSize, batchMaxWaitUs, predictionLogDir, predictionLogSampleRate);
    }

    public ServerFlags withFiles(Path newAdminTokenFile, Path newReadyFile) {
        return new ServerFlags(modelName, modelVersion, format, modelFile, signatureFile, modelSha256, host, port, newAdminTokenFile,
                newReadyFile, maxBodyBytes, maxConnections, idleTimeoutMs, readTimeoutMs, grpcPort, batchMaxSize, batchMaxWaitUs, predictionLogDir, predictionLogSampleRate);
    }

    /** These flags with gRPC served on {@code newGrpcPort} (0 = any free one), or none with {@code null}. */
    public ServerFlags withGrpcPort(Integer newGrpcPort) {
        return new ServerFlags(modelName, modelVersion, format, modelFile, signatureFile, modelSha256, host, port, adminTokenFile,
                readyFile, maxBodyBytes, maxConnections, idleTimeoutMs, readTimeoutMs, newGrpcPort, batchMaxSize, batchMaxWaitUs, predictionLogDir,
                predictionLogSampleRate);
    }

    /** These flags with adaptive batching ({@code maxSize} rows per call at most, 0 = off; {@code maxWaitUs} or null). */
    public ServerFlags withBatching(Integer maxSize, Integer maxWaitUs) {
        return new ServerFlags(modelName, modelVersion, format, modelFile, signatureFile, modelSha256, host, port, adminTokenFile,
                readyFile, maxBodyBytes, maxConnections, idleTimeoutMs, readTimeoutMs, grpcPort, maxSize, maxWaitUs, predictionLogDir, predictionLogSampleRate);
    }

    /** The same flags, the server logging a {@code sampleRate} share of its requests to {@code dir} (null: no prediction log). */
    public ServerFlags withPredictionLog(Path dir, Double sampleRate) {
        return new ServerFlags(modelName, modelVersion, format, modelFile, signatureFile, modelSha256, host, port, adminTokenFile, readyFile,
                maxBodyBytes, maxConnections, idleTimeoutMs, readTimeoutMs, grpcPort, batchMaxSize, batchMaxWaitUs, dir, sampleRate);
    }

    /** The command-line arguments that {@link #parse} reads back to this. */
    public List<String> toArgs() {
        List<String> a = new ArrayList<>(List.of("--model-name", modelName, "--model-version", Integer.toString(modelVersion),
                "--format", format, "--model-file", modelFile.toString(), "--signature-file", signatureFile.toString()));
        add(a, "--model-sha256", modelSha256);
        a.addAll(List.of("--host", host, "--port", Integer.toString(port)));
        add(a, "--admin-token-file", adminTokenFile);
        add(a, "--ready-file", readyFile);
        add(a, "--max-body-bytes", maxBodyBytes);
        add(a, "--max-connections", maxConnections);
        add(a, "--idle-timeout-ms", idleTimeoutMs);
        add(a, "--read-timeout-ms", readTimeoutMs);
        add(a, "--grpc-port", grpcPort);
        add(a, "--batch-max-size", batchMaxSize);
        add(a, "--batch-max-wait-us", batchMaxWaitUs);
        add(a, "--prediction-log-dir", predictionLogDir);
        add(a, "--prediction-log-sample-rate", predictionLogSampleRate);
        return a;
    }

    private static void add(List<String> args, String flag, Object value) {
        if (value != null) {
            args.addAll(List.of(flag, value.toString()));
        }
    }

    /**
     * Reads the server's command line.
     *
     * @throws FlywheelException INVALID_ARGUMENT naming the unknown, missing or malformed flag, with the usage
     */
    public static ServerFlags parse(List<String> args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            if (!FLAGS.contains(flag)) {
                throw FlywheelException.invalid("unknown argument '" + flag + "'\n" + USAGE);
            }
            if (i + 1 >= args.size()) {
                throw FlywheelException.invalid(flag + " needs a value\n" + USAGE);
            }
            opts.put(flag, args.get(++i));
        }
        return new ServerFlags(required(opts, "--model-name"), integer(opts, "--model-version", true), required(opts, "--format"),
                Path.of(required(opts, "--model-file")), Path.of(required(opts, "--signature-file")), opts.get("--model-sha256"),
                opts.getOrDefault("--host", DEFAULT_HOST), opts.containsKey("--port") ? integer(opts, "--port", true) : 0,
                path(opts, "--admin-token-file"), path(opts, "--ready-file"), integer(opts, "--max-body-bytes", false),
                integer(opts, "--max-connections", false), integer(opts, "--idle-timeout-ms", false), integer(opts, "--read-timeout-ms", false),
                integer(opts, "--grpc-port", false), integer(opts, "--batch-max-size", false),
                integer(opts, "--batch-max-wait-us", false), path(opts, "--prediction-log-dir"),
                rate(opts.get("--prediction-log-sample-rate")));
    }

    private static Double rate(String v) {
        if (v == null) {
            return null;
        }
        try {
            return Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            throw FlywheelException.invalid("--prediction-log-sample-rate must be a number > 0 and <= 1, got '" + v + "'");
        }
    }

    private static Path path(Map<String, String> opts, String flag) {
        return opts.containsKey(flag) ? Path.of(opts.get(flag)) : null;
    }

    private static String required(Map<String, String> opts, String flag) {
        String v = opts.get(flag);
        if (v == null || v.isBlank()) {
            throw FlywheelException.invalid("missing " + flag + "\n" + USAGE);
        }
        return v;
    }

    private static Integer integer(Map<String, String> opts, String flag, boolean required) {
        String v = required ? required(opts, flag) : opts.get(flag);
        if (v == null) {
            return null;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw FlywheelException.invalid(flag + " must be an integer, got '" + v + "'");
        }
    }
}
