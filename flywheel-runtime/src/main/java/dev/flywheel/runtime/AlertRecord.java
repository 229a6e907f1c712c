package dev.flywheel.runtime;

import java.time.Instant;
import java.util.Map;

/**
 * One alert and what became of it, as {@code flywheel alerts list} shows it.
 *
 * @param at        when it was posted
 * @param alerter   the alerter component it went through ("-" when the stack has none)
 * @param severity  info, warning or error
 * @param title     its one line
 * @param text      its few lines
 * @param details   its facts (trigger, pipeline, model, run)
 * @param delivered whether it reached its destination
 * @param detail    where it went, or why it did not (retries included)
 */
public record AlertRecord(Instant at, String alerter, String severity, String title, String text, Map<String, String> details,
                          boolean delivered, String detail) {
    public AlertRecord {
        details = Map.copyOf(details == null ? Map.of() : details);
    }
}
