package dev.flywheel.deploy;

import java.util.List;
import java.util.UUID;

/**
 * What rolling a registry change out to the services of a model did: one line per service that follows a stage or
 * an alias, with the versions before and after and, when it did not switch, why.
 */
public record Rollout(String model, List<ServiceChange> changes) {
    public Rollout {
        changes = List.copyOf(changes);
    }

    public enum Outcome {
        /** The running server switched versions with a hot swap (no request failed). */
        SWAPPED,
        /** The service should run but did not answer; it was started on the new version. */
        STARTED,
        /** The service is stopped; it now serves the new version when started. */
        REPOINTED,
        /** It already serves the version it follows. */
        UNCHANGED,
        /** What it follows names no version now (for example nothing is in production); it keeps its version. */
        SKIPPED,
        /** The switch failed; the service keeps serving its version (see detail). */
        FAILED
    }

    /**
     * @param service the service id
     * @param label   its name, or its id when it has none
     * @param follows what it follows ({@code production}, {@code @champion})
     * @param from    the version it served before
     * @param to      the version it serves now (equal to {@code from} unless it switched)
     * @param detail  why it did not switch, or empty
     */
    public record ServiceChange(UUID service, String label, String follows, int from, int to, Outcome outcome, String detail) {
        /** One line a person reads: {@code service 3f2a... (follows production): 3 -> 1 swapped}. */
        public String describe() {
            String who = "service " + label + " (follows " + follows + ")";
            return switch (outcome) {
                case SWAPPED -> who + ": version " + from + " -> " + to + ", hot-swapped";
                case STARTED -> who + ": version " + from + " -> " + to + ", started (it was not answering)";
                case REPOINTED -> who + ": version " + from + " -> " + to + " when started (it is stopped)";
                case UNCHANGED -> who + ": already serves version " + to;
                case SKIPPED, FAILED -> who + ": keeps version " + from + " (" + detail + ")";
            };
        }
    }

    /** Whether every service that follows a stage or alias now serves what it follows (or is re-pointed to it). */
    public boolean complete() {
        return changes.stream().noneMatch(c -> c.outcome() == Outcome.FAILED);
    }
}
