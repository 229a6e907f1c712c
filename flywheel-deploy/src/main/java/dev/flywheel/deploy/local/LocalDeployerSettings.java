package dev.flywheel.deploy.local;

import dev.flywheel.sdk.FlywheelException;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of the {@code local} model deployer flavor (checked when the component is registered).
 *
 * @param maxRestarts      how many crashes within {@code restartWindow} the supervisor restarts the server after;
 *                         one more and the service goes to {@code error} with the last crash as reason
 * @param restartWindow    the window crashes are counted in
 * @param initialBackoff   the wait before the first restart; doubled for each crash in a row, at most 8 s
 * @param serverJvmOptions JVM options of the prediction server process (heap, GC)
 * @param host             the address servers listen on: {@value #LOOPBACK} (default) or {@value #EVERY_INTERFACE}
 * @param grpc             whether each server also serves the Open Inference Protocol over gRPC (on a free port of
 *                         {@code host}, shown by {@code served-models describe})
 * @param batchMaxSize     adaptive batching: most rows per model call (0 = off, the default)
 * @param batchMaxWaitMicros adaptive batching: most microseconds a request waits for others
 * @param predictionLogDir the folder servers log answered requests to ({@code .flywheel/artifacts/predictions}), or null
 * @param predictionLogSampleRate share of requests logged: 0 (no prediction log) to 1 (every request, the default)
 */
public record LocalDeployerSettings(int maxRestarts, Duration restartWindow, Duration initialBackoff, List<String> serverJvmOptions,
                                    String host, boolean grpc, int batchMaxSize, int batchMaxWaitMicros,
                                    java.nio.file.Path predictionLogDir, double predictionLogSampleRate) {
    public static final String LOOPBACK = "127.0.0.1";
    public static final String EVERY_INTERFACE = "0.0.0.0";

    public static final int DEFAULT_BATCH_WAIT_MICROS = 500;

    public LocalDeployerSettings(int maxRestarts, Duration restartWindow, Duration initialBackoff, List<String> serverJvmOptions) {
        this(maxRestarts, restartWindow, initialBackoff, serverJvmOptions, LOOPBACK);
    }

    public LocalDeployerSettings(int maxRestarts, Duration restartWindow, Duration initialBackoff, List<String> serverJvmOptions,
                                 String host) {
        this(maxRestarts, restartWindow, initialBackoff, serverJvmOptions, host, false, 0, DEFAULT_BATCH_WAIT_MICROS, null, 1.0);
    }

    /** Without a prediction log folder (the flavor sets the project's when it builds the deployer). */
    public LocalDeployerSettings(int maxRestarts, Duration restartWindow, Duration initialBackoff, List<String> serverJvmOptions,
                                 String host, boolean grpc, int batchMaxSize, int batchMaxWaitMicros) {
        this(maxRestarts, restartWindow, initialBackoff, serverJvmOptions, host, grpc, batchMaxSize, batchMaxWaitMicros, null, 1.0);
    }

    public LocalDeployerSettings {
        // Only these two: the deployer probes and swaps servers through loopback, which both answer on.
        if (!LOOPBACK.equals(host) && !EVERY_INTERFACE.equals(host)) {
            throw FlywheelException.invalid("local deployer: host is '" + host + "'; give " + LOOPBACK + " (this machine only, the default) or "
                    + EVERY_INTERFACE + " (every interface, so other machines can call the servers)");
        }
        Objects.requireNonNull(restartWindow, "restartWindow");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        serverJvmOptions = List.copyOf(serverJvmOptions == null ? List.of() : serverJvmOptions);
        if (maxRestarts < 0) {
            throw FlywheelException.invalid("local deployer: maxRestarts must be >= 0, got " + maxRestarts);
        }
        if (restartWindow.isNegative() || restartWindow.isZero()) {
            throw FlywheelException.invalid("local deployer: restartWindow must be positive, got " + restartWindow);
        }
        if (!(predictionLogSampleRate >= 0 && predictionLogSampleRate <= 1)) {
            throw FlywheelException.invalid("local deployer: predictionLogSampleRate must be between 0 (no prediction log) and 1 "
                    + "(every request), got " + predictionLogSampleRate);
        }
        if (batchMaxSize < 0 || batchMaxSize > 65536) {
            throw FlywheelException.invalid("local deployer: batchMaxSize must be 0..65536 rows (0 = no batching), got " + batchMaxSize);
        }
        if (batchMaxWaitMicros < 0 || batchMaxWaitMicros > 1_000_000) {
            throw FlywheelException.invalid("local deployer: batchMaxWaitMicros must be 0..1000000, got " + batchMaxWaitMicros);
        }
        if (initialBackoff.isNegative() || initialBackoff.compareTo(Duration.ofSeconds(8)) > 0) {
            throw FlywheelException.invalid("local deployer: initialBackoff must be between 0 and 8 s, got " + initialBackoff);
        }
    }

    /** The same settings, servers logging their predictions to {@code dir} (null: no prediction log). */
    public LocalDeployerSettings withPredictionLogDir(java.nio.file.Path dir) {
        return new LocalDeployerSettings(maxRestarts, restartWindow, initialBackoff, serverJvmOptions, host, grpc, batchMaxSize,
                batchMaxWaitMicros, dir, predictionLogSampleRate);
    }

    public static LocalDeployerSettings defaults() {
        return new LocalDeployerSettings(5, Duration.ofMinutes(10), Duration.ofMillis(250),
                List.of("-Xms32m", "-Xmx384m", "-XX:+UseSerialGC"), LOOPBACK);
    }

    /**
     * The prediction server flags these settings add (gRPC on a free port, batching, the prediction log unless its
     * folder is unset or its rate 0), for the supervisor to pass on.
     */
    public List<String> serverArgs() {
        List<String> args = new java.util.ArrayList<>();
        if (grpc) {
            args.addAll(List.of("--grpc-port", "0"));
        }
        if (batchMaxSize > 1) {
            args.addAll(List.of("--batch-max-size", Integer.toString(batchMaxSize), "--batch-max-wait-us", Integer.toString(batchMaxWaitMicros)));
        }
        if (predictionLogDir != null && predictionLogSampleRate > 0) {
            args.addAll(List.of("--prediction-log-dir", predictionLogDir.toString(), "--prediction-log-sample-rate",
                    Double.toString(predictionLogSampleRate)));
        }
        return args;
    }
}
