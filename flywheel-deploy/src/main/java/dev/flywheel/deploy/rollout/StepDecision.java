package dev.flywheel.deploy.rollout;

import java.time.Instant;
import java.util.List;

/**
 * What a rollout decided once, with the numbers it decided on: an analysis's checks (empty for a user's command) and
 * the action taken ({@code hold}, {@code next step 50%}, {@code promote}, {@code rollback}, {@code pause},
 * {@code resume}, {@code abort}).
 */
public record StepDecision(int seq, Instant at, int step, int weight, Verdict verdict, List<CheckResult> checks, String action) {
    public StepDecision {
        checks = List.copyOf(checks);
    }
}
