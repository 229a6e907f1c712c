package dev.flywheel.spark;

import dev.flywheel.engine.StepOperator;
import dev.flywheel.sdk.flavor.ComponentKind;
import dev.flywheel.sdk.flavor.Flavor;
import dev.flywheel.sdk.flavor.FlavorContext;
import dev.flywheel.spark.internal.SparkStepOperator;

/**
 * The {@code spark} step operator: a step marked {@code onStepOperator()} runs as a Spark application submitted with
 * SparkLauncher (a child process), with a SparkSession handed to the step.
 */
public final class SparkStepOperatorFlavor implements Flavor<SparkSettings, StepOperator> {
    @Override
    public ComponentKind kind() {
        return ComponentKind.STEP_OPERATOR;
    }

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public String description() {
        return "runs chosen steps as Spark applications (standalone, local, Kubernetes or YARN master) with a SparkSession";
    }

    @Override
    public Class<SparkSettings> settingsType() {
        return SparkSettings.class;
    }

    @Override
    public StepOperator create(SparkSettings settings, FlavorContext context) {
        return new SparkStepOperator(context.componentName(), settings, context.projectFolder().resolve("spark"));
    }
}
