package dev.flywheel.registry.internal;

import dev.flywheel.registry.DataArtifact;
import dev.flywheel.registry.Lineage;
import dev.flywheel.sdk.FlywheelException;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads where a step's output came from: the run and pipeline, the step's code hash and config, and every artifact
 * upstream of the step through the {@code INPUT} links of {@code artifact_links} (the step's inputs, their producers'
 * inputs, and so on), so a model version names the data it was trained and evaluated on.
 */
public final class StepLineage {

    /** What the registry keeps of a producing step. */
    public record Origin(Lineage.FromRun lineage, String stepClass, String configJson) {
    }

    public Origin read(Connection c, String runId, String step) throws SQLException {
        String stepRunId;
        String stepClass;
        String codeHash;
        String configJson;
        String pipeline;
        try (PreparedStatement ps = c.prepareStatement("SELECT s.id, s.step_class, s.code_hash, s.config_json, r.pipeline "
                + "FROM step_runs s JOIN runs r ON r.id = s.run_id WHERE s.run_id = ? AND s.name = ?")) {
            ps.setString(1, runId);
            ps.setString(2, step);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw FlywheelException.notFound("No step '" + step + "' in run '" + runId + "'; a model can only be registered "
                            + "with the lineage of a step that ran (see: flywheel runs describe " + runId + ")");
                }
                stepRunId = rs.getString(1);
                stepClass = rs.getString(2);
                codeHash = rs.getString(3);
                configJson = rs.getString(4);
                pipeline = rs.getString(5);
            }
        }
        return new Origin(new Lineage.FromRun(pipeline, runId, step, stepRunId, codeHash, upstream(c, stepRunId)), stepClass, configJson);
    }

    /** Breadth-first, so each artifact gets the depth of its nearest path to the step. */
    private static List<DataArtifact> upstream(Connection c, String stepRunId) throws SQLException {
        List<DataArtifact> out = new ArrayList<>();
        Set<String> seenArtifacts = new HashSet<>();
        Set<String> seenSteps = new HashSet<>();
        Deque<String> steps = new ArrayDeque<>();
        Deque<Integer> depths = new ArrayDeque<>();
        steps.add(stepRunId);
        depths.add(1);
        seenSteps.add(stepRunId);
        try (PreparedStatement ps = c.prepareStatement("SELECT a.id, a.step_name, a.output_name, a.type, a.uri, a.sha256, a.size, "
                + "a.producer_step_run FROM artifact_links l JOIN artifacts a ON a.id = l.artifact_id "
                + "WHERE l.step_run_id = ? AND l.direction = 'INPUT' ORDER BY l.name")) {
            while (!steps.isEmpty()) {
                String current = steps.poll();
                int depth = depths.poll();
                ps.setString(1, current);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString(1);
                        if (!seenArtifacts.add(id)) {
                            continue;
                        }
                        out.add(new DataArtifact(id, rs.getString(2) + "." + rs.getString(3), rs.getString(4), URI.create(rs.getString(5)),
                                rs.getString(6), rs.getLong(7), depth));
                        String producer = rs.getString(8);
                        if (seenSteps.add(producer)) {
                            steps.add(producer);
                            depths.add(depth + 1);
                        }
                    }
                }
            }
        }
        return out;
    }
}
