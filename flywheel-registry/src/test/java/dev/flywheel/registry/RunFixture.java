package dev.flywheel.registry;

import dev.flywheel.sdk.RunStatus;
import dev.flywheel.sdk.StepStatus;
import dev.flywheel.store.artifact.ArtifactStore;
import dev.flywheel.store.artifact.StoredBlob;
import dev.flywheel.store.metadata.ArtifactLink;
import dev.flywheel.store.metadata.ArtifactRecord;
import dev.flywheel.store.metadata.ArtifactRecords;
import dev.flywheel.store.metadata.MetadataStore;
import dev.flywheel.store.metadata.RunRecord;
import dev.flywheel.store.metadata.RunRecords;
import dev.flywheel.store.metadata.StepRunRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

/**
 * Records a finished two-step run (load -> train) the way the engine does, with the real CSV bytes stored as the load
 * step's output and linked as the train step's input, so the registry's lineage reading is tested on real rows.
 */
final class RunFixture {
    record Run(String runId, String trainStepRunId, ArtifactRecord data) {
    }

    static Run record(MetadataStore metadata, ArtifactStore artifacts, String pipeline, Path csv) throws IOException {
        byte[] bytes = Files.readAllBytes(csv);
        StoredBlob blob = artifacts.write(out -> out.write(bytes));
        Instant now = Instant.now();
        String runId = UUID.randomUUID().toString();
        String load = UUID.randomUUID().toString();
        String train = UUID.randomUUID().toString();
        ArtifactRecord data = new ArtifactRecord(UUID.randomUUID().toString(), blob.uri(), "[B", "bytes", blob.size(), blob.sha256(),
                now, load, runId, "load", "table");
        RunRecords runs = new RunRecords(metadata);
        ArtifactRecords records = new ArtifactRecords(metadata);
        metadata.write(c -> {
            runs.savePipeline(c, pipeline, "", "{}", now);
            runs.insertRun(c, new RunRecord(runId, pipeline, RunStatus.SUCCEEDED, now, now, "manual", "{}", null, "localhost", 1, null));
            runs.saveStepRun(c, new StepRunRecord(load, runId, "load", "test.Load", StepStatus.SUCCEEDED, null, null, "aaaa", "{}", 1,
                    now, now, null, null, null));
            runs.saveStepRun(c, new StepRunRecord(train, runId, "train", "test.Train", StepStatus.SUCCEEDED, null, null, "bbbb",
                    "{\"rounds\":50}", 1, now, now, null, null, null));
            records.insert(c, data);
            records.link(c, new ArtifactLink(load, ArtifactLink.Direction.OUTPUT, "table", data.id()));
            records.link(c, new ArtifactLink(train, ArtifactLink.Direction.INPUT, "table", data.id()));
            return null;
        });
        return new Run(runId, train, data);
    }
}
