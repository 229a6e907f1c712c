package dev.flywheel.predictionlog;

/**
 * Where a prediction server reports what it answered. The request path calls {@link #record} after the answer is
 * sent; an implementation must return at once and never throw: logging may lose events (and counts them) but
 * never slows or fails a request.
 *
 * <p>Thread-safe. {@link #close()} writes what is queued and is safe to call twice.
 */
public interface PredictionLog extends AutoCloseable {
    /** Offers one answered request; sampled, queued and written off the caller's thread. */
    void record(PredictionEvent event);

    /** Counters since the log was opened. */
    PredictionLogStats stats();

    @Override
    void close();

    /** A log that keeps nothing (logging switched off). */
    static PredictionLog disabled() {
        return Disabled.INSTANCE;
    }

    /** The switched-off log; a constant, as it holds no state. */
    enum Disabled implements PredictionLog {
        INSTANCE;

        @Override
        public void record(PredictionEvent event) {
        }

        @Override
        public PredictionLogStats stats() {
            return new PredictionLogStats(0, 0, 0, 0, 0, 0);
        }

        @Override
        public void close() {
        }
    }
}
