package dev.flywheel.registry;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.List;

/** Where a model version came from: a pipeline step, or a file imported from elsewhere. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(value = Lineage.FromRun.class, name = "run"), @JsonSubTypes.Type(value = Lineage.Imported.class, name = "import")})
public sealed interface Lineage {

    /**
     * Returned by step {@code step} of run {@code runId}.
     *
     * @param codeHash sha256 of the step's bytecode when it ran
     * @param data     the artifacts it was trained and evaluated on, with their hashes (direct inputs first)
     */
    record FromRun(String pipeline, String runId, String step, String stepRunId, String codeHash, List<DataArtifact> data) implements Lineage {
        public FromRun {
            data = List.copyOf(data);
        }
    }

    /** Imported from a file trained elsewhere. */
    record Imported(String file) implements Lineage {
    }
}
