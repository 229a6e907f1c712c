package dev.flywheel.serving.internal;

/**
 * Adaptive batching of a model's requests: at most {@code maxRows} rows per model call, a request waiting at most
 * {@code maxWaitMicros} for others to join it. Off when {@code maxRows <= 1}.
 */
public record BatchSettings(int maxRows, long maxWaitMicros) {
    public static final BatchSettings OFF = new BatchSettings(0, 0);

    public BatchSettings {
        if (maxRows < 0) {
            throw new IllegalArgumentException("batch max size must be >= 0 (0 or 1 = no batching), got " + maxRows);
        }
        if (maxWaitMicros < 0 || maxWaitMicros > 1_000_000) {
            throw new IllegalArgumentException("batch max wait must be 0..1000000 microseconds, got " + maxWaitMicros);
        }
    }

    public boolean on() {
        return maxRows > 1;
    }
}
