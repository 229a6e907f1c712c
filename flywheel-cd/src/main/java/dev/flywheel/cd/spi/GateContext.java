package dev.flywheel.cd.spi;

import dev.flywheel.sdk.StepContext;
import dev.flywheel.sdk.data.Table;

import java.util.Optional;

/** What a {@link DeployGate} decides on. Values are computed once and shared by every condition and gate. */
public interface GateContext {

    /** The registered model's name. */
    String model();

    /** The newly trained version. */
    Contender challenger();

    /** What the challenger is compared with (the served version, or production), if any. */
    Optional<Contender> baseline();

    /** The evaluation data both versions are scored on (the same rows). */
    Table evaluation();

    /** The evaluation data's label column. */
    String labelColumn();

    /**
     * A metric of one side: a built-in metric computed on {@link #evaluation()}, a measured one
     * ({@code latency_p95_ms}, {@code model_size_bytes}), or one recorded with the version in the registry.
     *
     * @throws dev.flywheel.sdk.FlywheelException INVALID_ARGUMENT when the metric is none of these
     */
    double value(String metric, Contender side);

    /** The gate step's context (log, metadata, run). */
    StepContext step();
}
