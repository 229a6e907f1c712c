package dev.flywheel.testdb;

import dev.flywheel.sdk.RunStatus;
import dev.flywheel.store.metadata.ArtifactRecords;
import dev.flywheel.store.metadata.MetadataStore;
import dev.flywheel.store.metadata.RunRecord;
import dev.flywheel.store.metadata.RunRecords;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A project made by an older Flywheel (its schema at V1, rows written then) opens with this one on every metadata
 * store flavor: the newer migrations are applied and the old rows read as they were, with what they lacked
 * ({@code owner_started_at}) unknown and absolute artifact locations made relative.
 */
@EveryMetadataStore
class SchemaUpgradeTest {
    @Parameter
    TestDatabase database;
    @TempDir
    Path dir;

    @Test
    void aProjectAtTheFirstSchemaIsUpgradedKeepingItsRows() throws Exception {
        TestDatabase.Jdbc jdbc = database.emptyDatabase(dir);
        Flyway.configure(getClass().getClassLoader()).dataSource(jdbc.url(), jdbc.user(), jdbc.password())
                .locations(MetadataStore.MIGRATIONS).target("1").load().migrate();
        String sha = "ab" + "c".repeat(62);
        try (Connection c = DriverManager.getConnection(jdbc.url(), jdbc.user(), jdbc.password()); Statement s = c.createStatement()) {
            s.execute("INSERT INTO pipelines (name, description, created_at, spec_json) VALUES ('old', '', 1000, '{}')");
            s.execute("INSERT INTO runs (id, pipeline, status, started_at, finished_at, trigger, params_json, owner_host, owner_pid)"
                    + " VALUES ('01d00000-0000-4000-8000-000000000000', 'old', 'SUCCEEDED', 1000, 2000, 'manual', '{}', 'h', 7)");
            s.execute("INSERT INTO step_runs (id, run_id, name, step_class, status, attempts) VALUES ('s1', '01d00000-0000-4000-8000-000000000000',"
                    + " 'load', 'x.Load', 'SUCCEEDED', 1)");
            s.execute("INSERT INTO artifacts (id, uri, type, materializer, size, sha256, created_at, producer_step_run, run_id, step_name,"
                    + " output_name) VALUES ('a1', 'file:/old/place/.flywheel/artifacts/blobs/ab/" + sha + "', 'java.lang.String', 'text', 3, '"
                    + sha + "', 1500, 's1', '01d00000-0000-4000-8000-000000000000', 'load', 'out')");
        }
        try (MetadataStore store = database.open(dir)) {
            RunRecord old = new RunRecords(store).get("01d0");
            assertThat(old.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(old.ownerStartedAt()).as("unknown for a run recorded before it was kept").isNull();
            assertThat(new ArtifactRecords(store).get("a1").uri()).isEqualTo(URI.create("blobs/ab/" + sha));
        }
        // opened again: nothing left to migrate, same rows
        try (MetadataStore store = database.open(dir)) {
            assertThat(new RunRecords(store).count(null)).isEqualTo(1);
        }
    }
}
