package dev.flywheel.store.metadata;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Artifacts and their lineage links in the metadata store. Methods taking a {@link Connection} join the caller's transaction. */
public final class ArtifactRecords {
    private static final String COLUMNS = "id, uri, type, materializer, size, sha256, created_at, producer_step_run, run_id, step_name, output_name";

    private final MetadataStore store;

    public ArtifactRecords(MetadataStore store) {
        this.store = store;
    }

    public void insert(Connection c, ArtifactRecord a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO artifacts (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, a.id());
            ps.setString(2, a.uri().toString());
            ps.setString(3, a.type());
            ps.setString(4, a.materializer());
            ps.setLong(5, a.size());
            ps.setString(6, a.sha256());
            ps.setLong(7, a.createdAt().toEpochMilli());
            ps.setString(8, a.producerStepRun());
            ps.setString(9, a.runId());
            ps.setString(10, a.stepName());
            ps.setString(11, a.outputName());
            ps.executeUpdate();
        }
    }

    public void link(Connection c, ArtifactLink link) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO artifact_links (step_run_id, direction, name, artifact_id) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, link.stepRunId());
            ps.setString(2, link.direction().name());
            ps.setString(3, link.name());
            ps.setString(4, link.artifactId());
            ps.executeUpdate();
        }
    }

    public List<ArtifactLink> linksOfStepRun(Connection c, String stepRunId) throws SQLException {
        return links(c, "step_run_id", stepRunId);
    }

    /** The artifact with this id or unique id prefix. */
    public ArtifactRecord get(String idOrPrefix) {
        return store.read(c -> get(c, IdPrefix.resolve(c, "artifacts", "artifact", idOrPrefix)));
    }

    public ArtifactRecord get(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM artifacts WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw dev.flywheel.sdk.FlywheelException.notFound("No artifact with id '" + id + "'");
                }
                return artifact(rs);
            }
        }
    }

    /** Newest first; {@code runIdOrNull} limits the list to the artifacts a run produced. */
    public List<ArtifactRecord> list(String runIdOrNull, int limit) {
        return store.read(c -> {
            String sql = "SELECT " + COLUMNS + " FROM artifacts" + (runIdOrNull == null ? "" : " WHERE run_id = ?")
                    + " ORDER BY created_at DESC, id LIMIT ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                if (runIdOrNull != null) {
                    ps.setString(i++, runIdOrNull);
                }
                ps.setInt(i, limit);
                List<ArtifactRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(artifact(rs));
                    }
                }
                return out;
            }
        });
    }

    /** Every step run that produced or consumed the artifact (a cached step run counts as producing it again). */
    public List<ArtifactLink> linksOfArtifact(String artifactId) {
        return store.read(c -> links(c, "artifact_id", artifactId));
    }

    public List<ArtifactLink> linksOfStepRun(String stepRunId) {
        return store.read(c -> links(c, "step_run_id", stepRunId));
    }

    private static List<ArtifactLink> links(Connection c, String column, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT step_run_id, direction, name, artifact_id FROM artifact_links WHERE "
                + column + " = ? ORDER BY direction, name")) {
            ps.setString(1, value);
            List<ArtifactLink> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ArtifactLink(rs.getString(1), ArtifactLink.Direction.valueOf(rs.getString(2)), rs.getString(3), rs.getString(4)));
                }
            }
            return out;
        }
    }

    private static ArtifactRecord artifact(ResultSet rs) throws SQLException {
        return new ArtifactRecord(rs.getString(1), URI.create(rs.getString(2)), rs.getString(3), rs.getString(4), rs.getLong(5),
                rs.getString(6), Instant.ofEpochMilli(rs.getLong(7)), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11));
    }
}
