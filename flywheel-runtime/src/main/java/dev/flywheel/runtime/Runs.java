package dev.flywheel.runtime;

import dev.flywheel.engine.Orchestrator;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.RunListener;
import dev.flywheel.sdk.RunOptions;
import dev.flywheel.sdk.RunResult;
import dev.flywheel.store.metadata.ArtifactLink;
import dev.flywheel.store.metadata.ArtifactRecords;
import dev.flywheel.store.metadata.RunRecord;
import dev.flywheel.store.metadata.RunRecords;
import dev.flywheel.store.metadata.StepRunRecord;

import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.List;

/**
 * Runs: start one, list them, describe one with its steps and lineage. Listing and describing first mark runs of
 * this host whose process is gone as FAILED, so a run killed with {@code kill -9} reads as failed at once.
 */
public final class Runs {
    private final Supplier<? extends Orchestrator> orchestrator;
    private final RunRecords records;
    private final ArtifactRecords artifacts;
    private final IntSupplier failAbandoned;

    Runs(Supplier<? extends Orchestrator> orchestrator, RunRecords records, ArtifactRecords artifacts, IntSupplier failAbandoned) {
        this.orchestrator = orchestrator;
        this.records = records;
        this.artifacts = artifacts;
        this.failAbandoned = failAbandoned;
    }

    public RunResult run(Pipeline pipeline, RunOptions options, RunListener listener) {
        return orchestrator.get().run(pipeline, options, listener);
    }

    /** Newest first; {@code pipelineOrNull} keeps one pipeline's runs. */
    public List<RunRecord> list(String pipelineOrNull, int limit) {
        failAbandoned.getAsInt();
        return records.list(pipelineOrNull, limit);
    }

    public long count(String pipelineOrNull) {
        return records.count(pipelineOrNull);
    }

    /** A run by id or unique id prefix, with each step and the artifacts it consumed and produced. */
    public RunDescription describe(String idOrPrefix) {
        failAbandoned.getAsInt();
        RunRecord run = records.get(idOrPrefix);
        List<RunDescription.Step> steps = records.steps(run.id()).stream()
                .map(s -> new RunDescription.Step(s, artifacts.linksOfStepRun(s.id()))).toList();
        return new RunDescription(run, steps);
    }

    /** A run with its steps; {@code links} are each step's inputs and outputs by name. */
    public record RunDescription(RunRecord run, List<Step> steps) {
        public record Step(StepRunRecord record, List<ArtifactLink> links) {
        }
    }
}
