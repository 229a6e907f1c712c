package dev.flywheel.testdb;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.RunStatus;
import dev.flywheel.sdk.StepStatus;
import dev.flywheel.store.artifact.StoredBlob;
import dev.flywheel.store.artifact.local.LocalArtifactStore;
import dev.flywheel.store.metadata.ArtifactLink;
import dev.flywheel.store.metadata.ArtifactRecord;
import dev.flywheel.store.metadata.ArtifactRecords;
import dev.flywheel.store.metadata.MetadataStore;
import dev.flywheel.store.metadata.RunRecord;
import dev.flywheel.store.metadata.RunRecords;
import dev.flywheel.store.metadata.StepRunRecord;
import dev.flywheel.store.transfer.BlobColumns;
import dev.flywheel.store.transfer.ProjectExport;
import dev.flywheel.store.transfer.ProjectImport;
import dev.flywheel.store.transfer.TransferReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A local project (SQLite and an artifact folder) exported and imported into another project, on each metadata store
 * flavor: every row and blob arrives, checked by counts and hashes; a failure anywhere leaves the source, the export
 * and the target as they were.
 */
@EveryMetadataStore
class ProjectTransferTest {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private static final int RUNS = 12;

    @Parameter
    TestDatabase database;
    @TempDir
    Path dir;
    Path source;
    Path target;
    Path export;
    MetadataStore sourceMetadata;
    LocalArtifactStore sourceArtifacts;

    @BeforeEach
    void makeSource() {
        source = dir.resolve("local/.flywheel");
        target = dir.resolve("production/.flywheel");
        export = dir.resolve("export");
        sourceMetadata = MetadataStore.openSqlite(source.resolve("flywheel.db"));
        sourceArtifacts = new LocalArtifactStore(source.resolve("artifacts"));
        RunRecords runs = new RunRecords(sourceMetadata);
        ArtifactRecords artifacts = new ArtifactRecords(sourceMetadata);
        for (int i = 0; i < RUNS; i++) {
            String runId = String.format("%08x-0000-4000-8000-000000000000", i);
            byte[] bytes = ("output of run " + i + " " + "x".repeat(i * 1000)).getBytes(StandardCharsets.UTF_8);
            StoredBlob blob = sourceArtifacts.write(out -> out.write(bytes));
            int n = i;
            sourceMetadata.write(c -> {
                runs.savePipeline(c, "p" + n % 3, "pipeline " + n % 3, "{\"steps\":2}", T0);
                runs.insertRun(c, new RunRecord(runId, "p" + n % 3, RunStatus.SUCCEEDED, T0.plusSeconds(n), T0.plusSeconds(n + 1),
                        "manual", "{\"lr\":0.1}", null, "laptop", 100 + n, T0));
                runs.saveStepRun(c, new StepRunRecord("s" + n, runId, "train", "x.Train", StepStatus.SUCCEEDED, "k" + n, null, "h",
                        "{}", 1, T0.plusSeconds(n), T0.plusSeconds(n + 1), null, "log ✓", null));
                ArtifactRecord a = new ArtifactRecord("a" + n, blob.uri(), "java.lang.String", "text", blob.size(), blob.sha256(),
                        T0.plusSeconds(n), "s" + n, runId, "train", "out");
                artifacts.insert(c, a);
                artifacts.link(c, new ArtifactLink("s" + n, ArtifactLink.Direction.OUTPUT, "out", a.id()));
                return null;
            });
        }
    }

    @AfterEach
    void closeSource() {
        sourceMetadata.close();
    }

    private TransferReport exportSource() {
        return new ProjectExport(sourceMetadata, sourceArtifacts, BlobColumns.flywheel(), Clock.systemUTC()).exportTo(export);
    }

    @Test
    void everyRowAndBlobArrivesCheckedByCountsAndHashes() {
        TransferReport exported = exportSource();
        assertThat(exported.tables()).extracting(TransferReport.TableCount::table)
                .containsSubsequence("pipelines", "runs", "step_runs", "artifacts", "artifact_links");
        assertThat(exported.blobs()).isEqualTo(RUNS);
        try (MetadataStore targetMetadata = database.open(target)) {
            LocalArtifactStore targetArtifacts = new LocalArtifactStore(target.resolve("artifacts"));
            TransferReport imported = new ProjectImport(targetMetadata, targetArtifacts).importFrom(export);
            assertThat(imported.blobsCopied()).isEqualTo(RUNS);
            assertThat(imported.tables()).allSatisfy(t -> assertThat(t.added()).isEqualTo(t.exported()));
            assertThat(new RunRecords(targetMetadata).list(null, 100)).isEqualTo(new RunRecords(sourceMetadata).list(null, 100));
            for (int i = 0; i < RUNS; i++) {
                String runId = String.format("%08x-0000-4000-8000-000000000000", i);
                assertThat(new RunRecords(targetMetadata).steps(runId)).isEqualTo(new RunRecords(sourceMetadata).steps(runId));
                ArtifactRecord a = new ArtifactRecords(targetMetadata).get("a" + i);
                assertThat(a).isEqualTo(new ArtifactRecords(sourceMetadata).get("a" + i));
                assertThat(targetArtifacts.requireIntact(a.uri(), a.sha256(), "artifact " + a.id()).size()).isEqualTo(a.size());
            }
            assertThat(new RunRecords(targetMetadata).pipelines()).isEqualTo(new RunRecords(sourceMetadata).pipelines());
        }
    }

    @Test
    void anImportIntoAProjectThatHasRunsIsRefusedAndChangesNothing() {
        exportSource();
        try (MetadataStore targetMetadata = database.open(target)) {
            LocalArtifactStore targetArtifacts = new LocalArtifactStore(target.resolve("artifacts"));
            new ProjectImport(targetMetadata, targetArtifacts).importFrom(export);
            assertThatThrownBy(() -> new ProjectImport(targetMetadata, targetArtifacts).importFrom(export))
                    .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                    .hasMessageContaining("already has " + RUNS + " runs");
            assertThat(new RunRecords(targetMetadata).count(null)).isEqualTo(RUNS);
        }
    }

    @Test
    void aBlobDamagedInTheExportStopsTheImportBeforeAnyRowAndTouchesNoSource() throws Exception {
        exportSource();
        Map<Path, String> exportBefore = hashes(export);
        Map<Path, String> sourceBefore = hashes(source.resolve("artifacts"));
        // the last blob the import reaches is damaged: earlier ones are uploaded by then
        Path blob;
        try (Stream<Path> blobs = Files.walk(export.resolve("blobs"))) {
            blob = blobs.filter(Files::isRegularFile).sorted().toList().getLast();
        }
        byte[] original = Files.readAllBytes(blob);
        Files.writeString(blob, "not what was exported");
        try (MetadataStore targetMetadata = database.open(target)) {
            LocalArtifactStore targetArtifacts = new LocalArtifactStore(target.resolve("artifacts"));
            assertThatThrownBy(() -> new ProjectImport(targetMetadata, targetArtifacts).importFrom(export))
                    .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT))
                    .hasMessageContaining(blob.getFileName().toString()).hasMessageContaining("Nothing was imported");
            assertThat(new RunRecords(targetMetadata).count(null)).isZero();
            assertThat(new ArtifactRecords(targetMetadata).list(null, 10)).isEmpty();
        }
        Files.write(blob, original);
        assertThat(hashes(export)).isEqualTo(exportBefore);
        assertThat(hashes(source.resolve("artifacts"))).isEqualTo(sourceBefore);
        assertThat(new RunRecords(sourceMetadata).count(null)).isEqualTo(RUNS);
    }

    @Test
    void aStoreFailingMidwayThroughTheRowsCommitsNone() throws Exception {
        exportSource();
        try (MetadataStore targetMetadata = database.open(target)) {
            // a fault injected in the target: the database refuses the 7th artifact row, after the runs went in
            TestDatabase.Jdbc jdbc = database.jdbc(target);
            try (Connection c = DriverManager.getConnection(jdbc.url(), jdbc.user(), jdbc.password()); Statement s = c.createStatement()) {
                if (database == TestDatabase.SQLITE) {
                    s.execute("CREATE TRIGGER fault BEFORE INSERT ON artifacts WHEN NEW.id = 'a6' BEGIN SELECT RAISE(ABORT, 'disk failed'); END");
                } else {
                    s.execute("CREATE FUNCTION fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.id = 'a6' THEN"
                            + " RAISE EXCEPTION 'disk failed'; END IF; RETURN NEW; END $$");
                    s.execute("CREATE TRIGGER fault BEFORE INSERT ON artifacts FOR EACH ROW EXECUTE FUNCTION fault()");
                }
            }
            LocalArtifactStore targetArtifacts = new LocalArtifactStore(target.resolve("artifacts"));
            assertThatThrownBy(() -> new ProjectImport(targetMetadata, targetArtifacts).importFrom(export))
                    .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                    .hasMessageContaining("disk failed");
            assertThat(new RunRecords(targetMetadata).count(null)).isZero();
            assertThat(new RunRecords(targetMetadata).pipelines()).isEmpty();
            try (Connection c = DriverManager.getConnection(jdbc.url(), jdbc.user(), jdbc.password()); Statement s = c.createStatement()) {
                s.execute("DROP TRIGGER fault" + (database == TestDatabase.SQLITE ? "" : " ON artifacts"));
            }
            // the same export imports cleanly once the fault is gone; the blobs uploaded before are found there
            TransferReport again = new ProjectImport(targetMetadata, targetArtifacts).importFrom(export);
            assertThat(again.blobsCopied()).isZero();
            assertThat(new RunRecords(targetMetadata).count(null)).isEqualTo(RUNS);
        }
    }

    @Test
    void anExportMeetingADamagedBlobFailsLeavingNoFolderAndTheSourceAsItWas() throws Exception {
        ArtifactRecord a = new ArtifactRecords(sourceMetadata).get("a5");
        Path blob = Path.of(sourceArtifacts.locate(a.uri()));
        Files.writeString(blob, "damaged after it was written");
        Map<Path, String> before = hashes(source);
        List<RunRecord> runsBefore = new RunRecords(sourceMetadata).list(null, 100);
        assertThatThrownBy(this::exportSource)
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT))
                .hasMessageContaining("artifacts.uri of row a5").hasMessageContaining("Nothing was exported");
        assertThat(export).doesNotExist();
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).noneMatch(p -> p.getFileName().toString().contains("partial"));
        }
        assertThat(hashes(source)).isEqualTo(before);
        assertThat(new RunRecords(sourceMetadata).list(null, 100)).isEqualTo(runsBefore);
    }

    @Test
    void anExportIntoAFolderThatIsNotEmptyIsRefused() throws Exception {
        Files.createDirectories(export);
        Files.writeString(export.resolve("notes.txt"), "mine");
        assertThatThrownBy(this::exportSource)
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("not empty");
        assertThat(export.resolve("notes.txt")).hasContent("mine");
        assertThatThrownBy(() -> new ProjectImport(sourceMetadata, sourceArtifacts).importFrom(export))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("is not a Flywheel export");
    }

    /**
     * Every file under {@code root} and its sha256, but the SQLite database's files, which a checkpoint may rewrite
     * with the same rows (the rows are compared by value instead).
     */
    private static Map<Path, String> hashes(Path root) throws IOException {
        Map<Path, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("flywheel.db")).toList()) {
                out.put(root.relativize(p), sha(Files.readAllBytes(p)));
            }
        }
        return out;
    }

    private static String sha(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
