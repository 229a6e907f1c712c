package dev.flywheel.cd.spi;

import dev.flywheel.cd.ConditionResult;

import java.util.List;

/**
 * A team's own deployment rule, plugged into the ready-made gate step: implement it, list the class in
 * {@code META-INF/services/dev.flywheel.cd.spi.DeployGate}, and name it in the step's config
 * ({@code DeployIfBetter.Config.withGates("fairness")}, or {@code -p deploy_if_better.gates='["fairness"]'}).
 *
 * <p>The gate step calls {@link #evaluate} once per decision, on the step's thread, after its own metric conditions;
 * the challenger deploys only when every condition of every gate passed. Each result is recorded in the decision
 * with its numbers. An exception fails the step (nothing is deployed). Implementations need a public no-argument
 * constructor and must not close the models in the context.
 */
public interface DeployGate {

    /** The name steps refer to it by. */
    String name();

    /** The conditions this rule checked, each with its verdict and numbers; at least one. */
    List<ConditionResult> evaluate(GateContext context);
}
