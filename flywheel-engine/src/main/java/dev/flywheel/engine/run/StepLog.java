package dev.flywheel.engine.run;

/**
 * The captured log of one step execution: lines from {@code StepContext.log} and from {@code System.out/err} on
 * the step's thread. Bounded, so a chatty step cannot exhaust memory or bloat the store. Thread-safe.
 */
public final class StepLog {
    static final int MAX_CHARS = 1 << 20;
    private final StringBuilder text = new StringBuilder();
    private boolean truncated;

    public synchronized void line(String line) {
        append(line.endsWith("\n") ? line : line + "\n");
    }

    synchronized void append(String chunk) {
        if (truncated) {
            return;
        }
        if (text.length() + chunk.length() > MAX_CHARS) {
            text.append(chunk, 0, Math.max(0, MAX_CHARS - text.length()));
            text.append("\n[log truncated at ").append(MAX_CHARS).append(" characters]\n");
            truncated = true;
            return;
        }
        text.append(chunk);
    }

    /** The log text, or null when nothing was logged. */
    public synchronized String text() {
        return text.isEmpty() ? null : text.toString();
    }
}
