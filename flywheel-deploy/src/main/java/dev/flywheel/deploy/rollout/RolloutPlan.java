package dev.flywheel.deploy.rollout;

import dev.flywheel.sdk.FlywheelException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a rollout will do: its strategy, its steps (each weight held at least its pause with analyses passing) and
 * its analysis. The last step's end promotes the challenger.
 */
public record RolloutPlan(RolloutStrategy strategy, List<RolloutStep> steps, AnalysisConfig analysis) {
    public RolloutPlan {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(analysis, "analysis");
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw FlywheelException.invalid("a rollout needs at least one step");
        }
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i).weight() <= steps.get(i - 1).weight()) {
                throw FlywheelException.invalid("canary weights must grow step by step, got " + steps.stream().map(RolloutStep::weight).toList()
                        + "; for example --canary 10,50,100");
            }
        }
    }

    /** {@code --canary 10,50,100 --step-duration 30s}: each weight held {@code stepDuration}. */
    public static RolloutPlan canary(List<Integer> weights, Duration stepDuration, AnalysisConfig analysis) {
        if (weights == null || weights.isEmpty()) {
            throw FlywheelException.invalid("--canary needs the weights of its steps, for example --canary 10,50,100");
        }
        List<RolloutStep> steps = new ArrayList<>();
        for (int w : weights) {
            steps.add(new RolloutStep(w, stepDuration));
        }
        return new RolloutPlan(RolloutStrategy.CANARY, steps, analysis);
    }

    /** {@code --shadow --duration 10m}: every request mirrored for {@code duration}, then promoted if every analysis passed. */
    public static RolloutPlan shadow(Duration duration, AnalysisConfig analysis) {
        return new RolloutPlan(RolloutStrategy.SHADOW, List.of(new RolloutStep(100, duration)), analysis);
    }

    public RolloutStep step(int index) {
        return steps.get(index);
    }

    public boolean lastStep(int index) {
        return index == steps.size() - 1;
    }
}
