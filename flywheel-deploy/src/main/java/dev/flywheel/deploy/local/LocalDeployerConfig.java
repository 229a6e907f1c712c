package dev.flywheel.deploy.local;

import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.flavor.Setting;

import java.time.Duration;
import java.util.List;

/**
 * The settings users give the {@code local} model deployer flavor
 * ({@code flywheel model-deployer register NAME --flavor local --setting maxRestarts=3}); null keeps the default.
 *
 * @param maxRestarts          crashes within the window the supervisor restarts the server after
 * @param restartWindowSeconds the window crashes are counted in
 * @param initialBackoffMillis the wait before the first restart (doubled per crash in a row, at most 8 s)
 * @param serverJvmOptions     JVM options of the prediction server process, separated by spaces
 * @param predictionLogSampleRate share of requests each server logs to {@code .flywheel/artifacts/predictions}
 *                                (1 = every request, 0 = no prediction log)
 * @param host                 where prediction servers listen: 127.0.0.1 (this machine only) or 0.0.0.0 (every
 *                             interface, for clients on other machines); the admin endpoint needs its token either way
 * @param grpc                 whether servers also speak the Open Inference Protocol over gRPC, on a free port
 * @param batchMaxSize         adaptive batching: most rows per model call, 0 = off
 * @param batchMaxWaitMicros   adaptive batching: most microseconds a request waits for others to join it
 */
public record LocalDeployerConfig(
        @Setting(description = "crashes within the window the supervisor restarts the server after", defaultValue = "5") Integer maxRestarts,
        @Setting(description = "the window crashes are counted in, in seconds", defaultValue = "600") Long restartWindowSeconds,
        @Setting(description = "the wait before the first restart, in ms (doubled per crash in a row, at most 8 s)", defaultValue = "250")
        Long initialBackoffMillis,
        @Setting(description = "JVM options of the prediction server process, separated by spaces",
                defaultValue = "-Xms32m -Xmx384m -XX:+UseSerialGC") String serverJvmOptions,
        @Setting(description = "where prediction servers listen: 127.0.0.1 (this machine only) or 0.0.0.0 (every interface: other"
                + " machines can call them; /admin still needs the service's token)", defaultValue = "127.0.0.1") String host,
        @Setting(description = "also serve the Open Inference Protocol over gRPC (inference.GRPCInferenceService) on a free port"
                + " of the same host; served-models describe shows it", defaultValue = "false") Boolean grpc,
        @Setting(description = "adaptive batching: join concurrent requests into model calls of at most this many rows (0 = off)",
                defaultValue = "0") Integer batchMaxSize,
        @Setting(description = "adaptive batching: the most microseconds a request waits for others to join its model call",
                defaultValue = "500") Integer batchMaxWaitMicros,
        @Setting(description = "share of requests each prediction server logs (1 = every request, 0 = none)", defaultValue = "1.0")
        Double predictionLogSampleRate) {
    public LocalDeployerConfig {
        // Validate now, at register time, by building the settings once.
        toSettings(maxRestarts, restartWindowSeconds, initialBackoffMillis, serverJvmOptions, host, grpc, batchMaxSize, batchMaxWaitMicros,
                predictionLogSampleRate);
    }

    public LocalDeployerSettings toSettings() {
        return toSettings(maxRestarts, restartWindowSeconds, initialBackoffMillis, serverJvmOptions, host, grpc, batchMaxSize, batchMaxWaitMicros,
                predictionLogSampleRate);
    }

    private static LocalDeployerSettings toSettings(Integer maxRestarts, Long windowSeconds, Long backoffMillis, String jvm,
                                                    String host, Boolean grpc, Integer batchMaxSize, Integer batchMaxWaitMicros,
                                                    Double sampleRate) {
        LocalDeployerSettings d = LocalDeployerSettings.defaults();
        if (windowSeconds != null && windowSeconds <= 0) {
            throw FlywheelException.invalid("restartWindowSeconds must be positive, got " + windowSeconds);
        }
        return new LocalDeployerSettings(maxRestarts == null ? d.maxRestarts() : maxRestarts,
                windowSeconds == null ? d.restartWindow() : Duration.ofSeconds(windowSeconds),
                backoffMillis == null ? d.initialBackoff() : Duration.ofMillis(backoffMillis),
                jvm == null ? d.serverJvmOptions() : List.of(jvm.strip().split("\\s+")), host == null ? d.host() : host.strip(),
                grpc != null && grpc, batchMaxSize == null ? 0 : batchMaxSize,
                batchMaxWaitMicros == null ? LocalDeployerSettings.DEFAULT_BATCH_WAIT_MICROS : batchMaxWaitMicros,
                null, sampleRate == null ? 1.0 : sampleRate);
    }
}
