package dev.flywheel.sdk.validate;

import java.util.List;

/**
 * The problems a {@link DataValidator} found, each a sentence naming the source, the column, how many values are
 * wrong and one of them.
 */
public record ValidationReport(List<String> problems) {
    public ValidationReport {
        problems = List.copyOf(problems);
    }

    public boolean passed() {
        return problems.isEmpty();
    }

    /**
     * Returns when the data passed.
     *
     * @throws IllegalArgumentException {@code Invalid data (N problems): ...}, which fails the step with that message
     */
    public void requireValid() {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid data (" + problems.size() + " problem" + (problems.size() > 1 ? "s" : "")
                    + "): " + String.join("; ", problems));
        }
    }
}
