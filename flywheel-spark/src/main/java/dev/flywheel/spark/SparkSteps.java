package dev.flywheel.spark;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.StepContext;
import org.apache.spark.sql.SparkSession;

/** What a step running on the {@code spark} step operator gets from Spark. */
public final class SparkSteps {
    private SparkSteps() {
    }

    /**
     * The application's SparkSession (the step runs in its driver).
     *
     * @throws FlywheelException NOT_FOUND when the step does not run on a Spark step operator, saying how to make it
     */
    public static SparkSession session(StepContext context) {
        try {
            return context.component(SparkSession.class);
        } catch (FlywheelException e) {
            throw new FlywheelException(ErrorCode.NOT_FOUND, "Step '" + context.stepName() + "' asked for a SparkSession, but it runs in"
                    + " the orchestrator's process; declare it with StepSpec.of(...).onStepOperator() and run it on a stack whose step"
                    + " operator has flavor spark", e);
        }
    }
}
