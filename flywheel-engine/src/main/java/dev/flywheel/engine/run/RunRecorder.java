package dev.flywheel.engine.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flywheel.engine.config.StepConfigs;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.RunStatus;
import dev.flywheel.sdk.StepSpec;
import dev.flywheel.sdk.Wire;
import dev.flywheel.store.metadata.ArtifactLink;
import dev.flywheel.store.metadata.ArtifactRecord;
import dev.flywheel.store.metadata.ArtifactRecords;
import dev.flywheel.store.metadata.MetadataStore;
import dev.flywheel.store.metadata.RunRecord;
import dev.flywheel.store.metadata.RunRecords;
import dev.flywheel.store.metadata.StepRunRecord;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Writes a run's progress to the metadata store, one short transaction per state change. Thread-safe. */
public final class RunRecorder {
    private final MetadataStore store;
    private final RunRecords runs;
    private final ArtifactRecords artifacts;

    public RunRecorder(MetadataStore store) {
        this.store = store;
        this.runs = new RunRecords(store);
        this.artifacts = new ArtifactRecords(store);
    }

    public void runStarted(Pipeline pipeline, RunRecord run, StepConfigs configs) {
        String spec = specJson(pipeline, configs);
        store.write(c -> {
            runs.savePipeline(c, pipeline.name(), pipeline.description(), spec, run.startedAt());
            runs.insertRun(c, run);
            return null;
        });
    }

    public void stepChanged(StepRunRecord step) {
        store.write(c -> {
            runs.saveStepRun(c, step);
            return null;
        });
    }

    /** Records a finished step with the artifacts it created and its lineage links, atomically. */
    public void stepFinished(StepRunRecord step, List<ArtifactRecord> created, List<ArtifactLink> links) {
        store.write(c -> {
            runs.saveStepRun(c, step);
            for (ArtifactRecord a : created) {
                artifacts.insert(c, a);
            }
            for (ArtifactLink l : links) {
                artifacts.link(c, l);
            }
            return null;
        });
    }

    public void runFinished(String runId, RunStatus status, Instant at, String error) {
        store.write(c -> {
            runs.finishRun(c, runId, status, at, error);
            return null;
        });
    }

    /** A reusable earlier execution: the step run and its outputs by name, if every output artifact is recorded. */
    public Optional<CacheHit> findCached(String cacheKey) {
        return store.read(c -> {
            Optional<StepRunRecord> hit = runs.findCached(c, cacheKey);
            if (hit.isEmpty()) {
                return Optional.empty();
            }
            Map<String, ArtifactRecord> outputs = new java.util.HashMap<>();
            for (ArtifactLink link : artifacts.linksOfStepRun(c, hit.get().id())) {
                if (link.direction() == ArtifactLink.Direction.OUTPUT) {
                    outputs.put(link.name(), artifacts.get(c, link.artifactId()));
                }
            }
            return Optional.of(new CacheHit(hit.get(), outputs));
        });
    }

    public record CacheHit(StepRunRecord stepRun, Map<String, ArtifactRecord> outputs) {
    }

    private static String specJson(Pipeline pipeline, StepConfigs configs) {
        ObjectNode root = StepConfigs.mapper().createObjectNode();
        root.put("name", pipeline.name());
        ArrayNode steps = root.putArray("steps");
        for (StepSpec s : pipeline.steps()) {
            ObjectNode n = steps.addObject();
            n.put("name", s.name());
            n.put("class", s.stepClass().getName());
            String config = configs.json(s.name());
            if (config != null) {
                n.put("config", config);
            }
            n.put("cache", s.options().cache());
            n.put("retries", s.options().retries());
            if (s.options().timeout() != null) {
                n.put("timeout", s.options().timeout().toString());
            }
            ObjectNode inputs = n.putObject("inputs");
            for (Wire w : pipeline.inputsOf(s.name())) {
                inputs.put(w.input(), w.fromStep() + "." + w.output());
            }
        }
        try {
            return StepConfigs.mapper().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new FlywheelException(ErrorCode.INTERNAL, "Cannot describe pipeline " + pipeline.name() + " as JSON: " + e.getMessage(), e);
        }
    }
}
