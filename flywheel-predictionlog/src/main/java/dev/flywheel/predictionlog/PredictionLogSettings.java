package dev.flywheel.predictionlog;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a prediction log writes.
 *
 * @param dir           the log folder (a project keeps it at {@code .flywheel/artifacts/predictions}); one sub-folder per model
 * @param sampleRate    share of requests logged, 0 < rate <= 1 (1 = every request)
 * @param queueCapacity requests waiting to be written at most; past it new ones are dropped and counted
 * @param flushInterval how long a logged request may wait in memory before it is written to the file (what a
 *                      {@code kill -9} can lose); at most 1 s
 * @param clock         the time of each request and of the hourly rotation
 */
public record PredictionLogSettings(Path dir, double sampleRate, int queueCapacity, Duration flushInterval, Clock clock) {
    public static final int DEFAULT_QUEUE_CAPACITY = 16_384;

    /** Where a project keeps its prediction logs: {@code artifacts/predictions} in its {@code .flywheel} folder. */
    public static Path inProject(Path projectFolder) {
        return projectFolder.resolve("artifacts").resolve("predictions");
    }

    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(200);

    public PredictionLogSettings {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(flushInterval, "flushInterval");
        Objects.requireNonNull(clock, "clock");
        if (!(sampleRate > 0 && sampleRate <= 1)) {
            throw new IllegalArgumentException("the prediction log sample rate must be > 0 and <= 1 (1 = every request), got "
                    + sampleRate);
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("the prediction log queue capacity must be >= 1, got " + queueCapacity);
        }
        if (flushInterval.isNegative() || flushInterval.isZero() || flushInterval.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("the prediction log flush interval must be > 0 and <= 1s, got " + flushInterval);
        }
    }

    /** Every request, the default queue and flush interval, the system clock. */
    public static PredictionLogSettings of(Path dir) {
        return new PredictionLogSettings(dir, 1.0, DEFAULT_QUEUE_CAPACITY, DEFAULT_FLUSH_INTERVAL, Clock.systemUTC());
    }

    public PredictionLogSettings withSampleRate(double rate) {
        return new PredictionLogSettings(dir, rate, queueCapacity, flushInterval, clock);
    }

    public PredictionLogSettings withQueueCapacity(int capacity) {
        return new PredictionLogSettings(dir, sampleRate, capacity, flushInterval, clock);
    }

    public PredictionLogSettings withClock(Clock c) {
        return new PredictionLogSettings(dir, sampleRate, queueCapacity, flushInterval, c);
    }
}
