package dev.flywheel.schedule.trigger;

/**
 * What a {@link JdbcRowCountTrigger} has consumed: the table's row count when a run last took its rows (or
 * when the trigger was registered, see {@link JdbcRowCountTrigger#baseline()}). Persisted by the scheduler.
 */
public record RowCountState(long consumedCount) {
    public RowCountState {
        if (consumedCount < 0) {
            throw new IllegalArgumentException("consumedCount must be >= 0, got " + consumedCount);
        }
    }
}
