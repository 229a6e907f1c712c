package dev.flywheel.runtime;

import dev.flywheel.engine.Orchestrator;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.RunListener;
import dev.flywheel.sdk.RunOptions;
import dev.flywheel.sdk.RunResult;
import dev.flywheel.sdk.SourceVersion;
import dev.flywheel.store.metadata.ArtifactLink;
import dev.flywheel.store.metadata.ArtifactRecords;
import dev.flywheel.store.metadata.RunQuery;
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
    private final Supplier<SourceVersion> source;

    Runs(Supplier<? extends Orchestrator> orchestrator, RunRecords records, ArtifactRecords artifacts, IntSupplier failAbandoned,
         Supplier<SourceVersion> source) {
        this.orchestrator = orchestrator;
        this.records = records;
        this.artifacts = artifacts;
        this.failAbandoned = failAbandoned;
        this.source = source;
    }

    /** Runs the pipeline; the run records the git version of its code unless {@code options} states one. */
    public RunResult run(Pipeline pipeline, RunOptions options, RunListener listener) {
        RunOptions withSource = options.source() != null ? options : options.withSource(source.get());
        return orchestrator.get().run(pipeline, withSource, listener);
    }

    /** The git commit, branch and dirty state a run started now would record (unknown outside a git work tree). */
    public SourceVersion sourceVersion() {
        return source.get();
    }

    /** Newest first; {@code pipelineOrNull} keeps one pipeline's runs, {@code branchOrNull} runs of code on one branch. */
    public List<RunRecord> list(String pipelineOrNull, String branchOrNull, int limit) {
        if (branchOrNull == null) {
            return list(pipelineOrNull, limit);
        }
        return page(RunQuery.newest(Math.min(limit, RunQuery.MAX_LIMIT)).withPipeline(pipelineOrNull).withBranch(branchOrNull)).runs();
    }

    /** What the stack's orchestrator would submit for a run (a cluster orchestrator's manifests); runs and records nothing. */
    public String render(Pipeline pipeline, RunOptions options) {
        return orchestrator.get().render(pipeline, options);
    }

    /** Newest first; {@code pipelineOrNull} keeps one pipeline's runs. */
    public List<RunRecord> list(String pipelineOrNull, int limit) {
        failAbandoned.getAsInt();
        return records.list(pipelineOrNull, limit);
    }

    /** One page of runs matching {@code query}, newest first; continue with {@code query} after {@code page.next()}. */
    public RunQuery.Page page(RunQuery query) {
        failAbandoned.getAsInt();
        return records.page(query);
    }

    /** Each run's number of steps and of cached steps, in one query (for tables of runs). */
    public java.util.Map<String, RunRecords.StepCounts> stepCounts(List<String> runIds) {
        return records.stepCounts(runIds);
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

        /** An edge of the run's graph: step {@code to} consumed artifact {@code artifactId} that step {@code from} produced. */
        public record Edge(String from, String to, String artifactId) {
        }

        /** The run's graph as its artifacts wired it: who produced each artifact a step consumed. */
        public List<Edge> edges() {
            java.util.Map<String, String> producer = new java.util.HashMap<>();
            for (Step s : steps) {
                s.links().stream().filter(l -> l.direction() == ArtifactLink.Direction.OUTPUT)
                        .forEach(l -> producer.putIfAbsent(l.artifactId(), s.record().name()));
            }
            List<Edge> edges = new java.util.ArrayList<>();
            for (Step s : steps) {
                for (ArtifactLink l : s.links()) {
                    String from = l.direction() == ArtifactLink.Direction.INPUT ? producer.get(l.artifactId()) : null;
                    if (from != null && !from.equals(s.record().name())) {
                        edges.add(new Edge(from, s.record().name(), l.artifactId()));
                    }
                }
            }
            return edges;
        }
    }
}
