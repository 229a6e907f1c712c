package dev.flywheel.runtime;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.flavor.References;
import dev.flywheel.testkit.MutableClock;
import dev.flywheel.testkit.PostgresServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Labels read from database tables, on a real SQLite file and a real PostgreSQL server: every kind of label and
 * watermark column, each label imported once (watermark plus already-kept rows), corrections flowing through, polling
 * on an interval, and every bad input a clear error naming what to fix.
 */
class LabelTablesTest {
    @TempDir
    Path dir;
    final MutableClock clock = MutableClock.at("2026-11-29T12:00:00Z");

    /** A database of either kind, with the SQL dialect differences the test needs. */
    record Db(String kind, String url, String user, String password) {
        Connection connect() throws SQLException {
            return user == null ? DriverManager.getConnection(url) : DriverManager.getConnection(url, user, password);
        }

        void sql(String... statements) throws SQLException {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                for (String q : statements) {
                    s.execute(q);
                }
            }
        }

        boolean postgres() {
            return kind.equals("postgresql");
        }

        String timestampType() {
            return postgres() ? "TIMESTAMPTZ" : "TEXT";
        }

        String passwordRef() {
            return password == null ? null : "{{env.PW}}";
        }
    }

    private Db db(String kind) throws Exception {
        if (kind.equals("sqlite")) {
            Path f = dir.resolve("labels.db");
            Db d = new Db(kind, "jdbc:sqlite:" + f, null, null);
            d.sql("CREATE TABLE IF NOT EXISTS probe (x INTEGER)");
            return d;
        }
        PostgresServer.Database pg = PostgresServer.shared().createDatabase("LabelTablesTest");
        return new Db(kind, pg.url(), pg.user(), pg.password());
    }

    private LabelTables tables(Db db) {
        References.Resolver env = References.Resolver.environment(db.password() == null ? Map.of() : Map.of("PW", db.password()), "test");
        return new LabelTables(new GroundTruth(dir.resolve("labels")), env, clock);
    }

    private Map<GroundTruth.Key, Double> kept() {
        return new GroundTruth(dir.resolve("labels")).read("m");
    }

    private LabelTable table(Db db, String table, String label, String row, String watermark) {
        return new LabelTable(db.url(), table, "request_id", row, label, watermark, db.user(), db.passwordRef());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void eachLabelIsImportedOncePastTheWatermarkAndCorrectionsFlowThrough(String kind) throws Exception {
        Db db = db(kind);
        db.sql("CREATE TABLE truth (id INTEGER PRIMARY KEY, request_id VARCHAR(64), cnt DOUBLE PRECISION, updated " + db.timestampType() + ")",
                "INSERT INTO truth VALUES (1, 'r1', 10.5, '2026-11-29T10:00:00Z'), (2, 'r2', 20, '2026-11-29T10:00:00Z'),"
                        + " (3, 'r3', NULL, '2026-11-29T10:05:00Z')");
        LabelTables tables = tables(db);
        LabelTable byTime = table(db, "truth", "cnt", null, "updated");
        LabelImport first = tables.read("m", byTime, null);
        assertThat(first.read()).isEqualTo(3);
        assertThat(first.added()).isEqualTo(2);
        assertThat(first.notLabelled()).as("r3 has no label yet").isEqualTo(1);
        assertThat(first.watermark()).as("a timestamp on PostgreSQL, ISO text on SQLite").isEqualTo("2026-11-29T10:05:00Z");
        assertThat(first.source()).contains("table truth");
        assertThat(kept()).containsEntry(new GroundTruth.Key("r1", 0), 10.5).containsEntry(new GroundTruth.Key("r2", 0), 20.0).hasSize(2);

        LabelImport again = tables.read("m", byTime, null);
        assertThat(again.read()).as("only rows at or past the watermark").isEqualTo(1);
        assertThat(again.added()).isZero();

        // r3's label arrives (its row is updated), r2's is corrected, r4 is new at the same time as the watermark's row
        db.sql("UPDATE truth SET cnt = 30, updated = '2026-11-29T11:00:00Z' WHERE id = 3",
                "UPDATE truth SET cnt = 21, updated = '2026-11-29T11:00:00Z' WHERE id = 2",
                "INSERT INTO truth VALUES (4, 'r4', 40, '2026-11-29T10:05:00Z')");
        LabelImport third = tables.read("m", byTime, null);
        assertThat(third.added()).isEqualTo(3);
        assertThat(kept()).containsEntry(new GroundTruth.Key("r2", 0), 21.0).containsEntry(new GroundTruth.Key("r3", 0), 30.0)
                .containsEntry(new GroundTruth.Key("r4", 0), 40.0).hasSize(4);
        assertThat(tables.read("m", byTime, null).added()).isZero();

        // without a watermark column the whole table is read, and what is kept is still skipped
        LabelImport whole = tables.read("m", table(db, "truth", "cnt", null, null), null);
        assertThat(whole.read()).isEqualTo(4);
        assertThat(whole.added()).isZero();
        assertThat(whole.alreadyKept()).isEqualTo(4);
        assertThat(whole.watermark()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void labelsOfEveryNumericKindRowsAndNumericWatermarksAreRead(String kind) throws Exception {
        Db db = db(kind);
        String bool = db.postgres() ? "BOOLEAN" : "INTEGER";
        db.sql("CREATE TABLE kinds (seq BIGINT, request_id TEXT, row_no INTEGER, i INTEGER, d REAL, n NUMERIC(10,3), t VARCHAR(20), b " + bool + ")",
                "INSERT INTO kinds VALUES (7, 'a', 0, 1, 1.5, 2.125, '3.5', " + (db.postgres() ? "TRUE" : "1") + "),"
                        + " (9, 'a', 1, 0, 0.25, -1.000, '-2', " + (db.postgres() ? "FALSE" : "0") + ")");
        LabelTables tables = tables(db);
        Map<String, double[]> expected = Map.of("i", new double[]{1, 0}, "d", new double[]{1.5, 0.25}, "n", new double[]{2.125, -1},
                "t", new double[]{3.5, -2}, "b", new double[]{1, 0});
        for (var e : expected.entrySet()) {
            LabelTable t = new LabelTable(db.url(), "kinds", "request_id", "row_no", e.getKey(), "seq", db.user(), db.passwordRef());
            Path labels = dir.resolve("labels");
            tables.read("m", t, null);
            Map<GroundTruth.Key, Double> k = new GroundTruth(labels).read("m");
            assertThat(k.get(new GroundTruth.Key("a", 0))).as(e.getKey()).isEqualTo(e.getValue()[0]);
            assertThat(k.get(new GroundTruth.Key("a", 1))).as(e.getKey()).isEqualTo(e.getValue()[1]);
        }
        LabelTable bySeq = new LabelTable(db.url(), "kinds", "request_id", "row_no", "i", "seq", db.user(), db.passwordRef());
        tables.read("m", bySeq, null);
        LabelImport last = tables.read("m", bySeq, null);
        assertThat(last.watermark()).isEqualTo("9");
        assertThat(last.read()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aPolledTableIsReadAgainOnlyOnceItsIntervalHasPassedAndZeroStopsIt(String kind) throws Exception {
        Db db = db(kind);
        db.sql("CREATE TABLE polled (id INTEGER, request_id TEXT, label REAL)", "INSERT INTO polled VALUES (1, 'p1', 1)");
        LabelTables tables = tables(db);
        LabelTable t = table(db, "polled", "label", null, "id");
        assertThat(tables.read("m", t, Duration.ofMinutes(5)).pollEvery()).isEqualTo(Duration.ofMinutes(5));
        db.sql("INSERT INTO polled VALUES (2, 'p2', 2)");
        assertThat(tables.pollDue("m")).as("not due yet").isEmpty();
        clock.advance(Duration.ofMinutes(5));
        assertThat(tables.pollDue("m")).singleElement().satisfies(r -> assertThat(r.added()).isEqualTo(1));
        assertThat(kept()).containsKey(new GroundTruth.Key("p2", 0));
        assertThat(tables.read("m", t, null).pollEvery()).as("null keeps the interval").isEqualTo(Duration.ofMinutes(5));
        assertThat(tables.read("m", t, Duration.ZERO).pollEvery()).isNull();
        clock.advance(Duration.ofHours(1));
        assertThat(tables.pollDue("m")).isEmpty();
        assertThat(tables.states("m")).singleElement().satisfies(s -> {
            assertThat(s.table().password()).as("only the reference is kept").isEqualTo(db.passwordRef());
            assertThat(s.watermark().value()).isEqualTo("2");
        });
        String state;
        try (var files = Files.list(dir.resolve("labels").resolve("m"))) {
            state = Files.readString(files.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow());
        }
        if (db.password() != null) {
            assertThat(state).doesNotContain(db.password());
        }

        // a row still without its label holds the watermark back, so its label is read once it arrives
        db.sql("INSERT INTO polled VALUES (3, 'p3', NULL), (4, 'p4', 4)");
        LabelImport waiting = tables.read("m", t, null);
        assertThat(waiting.added()).isEqualTo(1);
        assertThat(waiting.watermark()).isEqualTo("3");
        db.sql("UPDATE polled SET label = 3 WHERE id = 3");
        LabelImport arrived = tables.read("m", t, null);
        assertThat(arrived.added()).isEqualTo(1);
        assertThat(arrived.watermark()).isEqualTo("4");
        assertThat(kept()).containsEntry(new GroundTruth.Key("p3", 0), 3.0).containsEntry(new GroundTruth.Key("p4", 0), 4.0);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void badTablesColumnsAndValuesAreErrorsNamingWhatToFixAndKeepNothing(String kind) throws Exception {
        Db db = db(kind);
        db.sql("CREATE TABLE bad (id INTEGER, request_id TEXT, label TEXT, flag " + (db.postgres() ? "BYTEA" : "BLOB") + ")",
                "INSERT INTO bad VALUES (1, 'ok', '1', NULL), (2, 'b2', 'lots', NULL)");
        LabelTables tables = tables(db);
        assertThatThrownBy(() -> tables.read("m", table(db, "nope", "label", null, null), null))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("Table nope cannot be read").hasMessageContaining("Check --table");
        assertThatThrownBy(() -> tables.read("m", table(db, "bad", "truth", null, null), null))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("has no column 'truth' (--label-column); its columns are [id, request_id, label, flag]");
        assertThatThrownBy(() -> tables.read("m", table(db, "bad", "label", null, null), null))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("column label holds 'lots' for request b2, which is not a number");
        db.sql("INSERT INTO bad VALUES (3, 'b3', '2', " + (db.postgres() ? "'\\x01'::bytea" : "x'01'") + ")");
        assertThatThrownBy(() -> tables.read("m", new LabelTable(db.url(), "bad", "request_id", null, "id", "flag", db.user(),
                db.passwordRef()), null)).hasMessageContaining("--watermark-column must name a column of numbers, times or text");
        assertThatThrownBy(() -> tables.read("m", new LabelTable(db.url(), "bad", "request_id", "label", "id", null, db.user(),
                db.passwordRef()), null)).hasMessageContaining("which is not a row number").hasMessageContaining("--row-column");
        assertThat(kept()).as("nothing of a failed read is kept").isEmpty();
        assertThat(tables.states("m")).as("nor remembered").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void anUnreachableOrMissingDatabaseIsAnErrorSayingWhatToCheck(String kind) throws Exception {
        Db db = db(kind);
        LabelTables tables = tables(db);
        if (db.postgres()) {
            int closed;
            try (ServerSocket s = new ServerSocket(0)) {
                closed = s.getLocalPort();
            }
            LabelTable down = new LabelTable("jdbc:postgresql://127.0.0.1:" + closed + "/x?password=hunter2", "t", null, null, null, null, "u", null);
            assertThatThrownBy(() -> tables.read("m", down, null))
                    .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                    .hasMessageContaining("Cannot connect to jdbc:postgresql://127.0.0.1:" + closed + "/x?password=***")
                    .hasMessageContaining("Check --jdbc-url").hasMessageNotContaining("hunter2");
            LabelTable unsetPassword = new LabelTable(db.url(), "t", null, null, null, null, db.user(), "{{env.NOPE}}");
            assertThatThrownBy(() -> tables.read("m", unsetPassword, null)).hasMessageContaining("NOPE");
        } else {
            LabelTable missing = new LabelTable("jdbc:sqlite:" + dir.resolve("typo.db"), "t", null, null, null, null, null, null);
            assertThatThrownBy(() -> tables.read("m", missing, null))
                    .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                    .hasMessageContaining("typo.db does not exist");
            assertThat(dir.resolve("typo.db")).as("not created by the attempt").doesNotExist();
        }
        assertThatThrownBy(() -> tables.read("m", new LabelTable("jdbc:nosuchdb://x", "t", null, null, null, null, null, null), null))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("No JDBC driver accepts jdbc:nosuchdb://x");
    }

    @org.junit.jupiter.api.Test
    void theTableItselfIsCheckedBeforeAnythingIsRead() {
        for (String[] c : new String[][]{
                {"postgres://x", "t", "label", "--jdbc-url must be a JDBC URL"},
                {"jdbc:sqlite:x.db", "t; DROP TABLE x", "label", "--table must be a table name"},
                {"jdbc:sqlite:x.db", "t", "la bel", "--label-column must be a column name"}}) {
            assertThatThrownBy(() -> new LabelTable(c[0], c[1], null, null, c[2], null, null, null)).as(c[3])
                    .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                    .hasMessageContaining(c[3]);
        }
        assertThatThrownBy(() -> new LabelTable("jdbc:sqlite:x.db", "t", null, null, null, null, "u", "hunter2"))
                .hasMessageContaining("must be a reference, never the password itself").hasMessageNotContaining("hunter2");
        assertThat(new LabelTable("jdbc:sqlite:x.db", "public.t", null, null, null, null, null, null))
                .satisfies(t -> assertThat(t.idColumn() + "," + t.labelColumn()).isEqualTo("request_id,label"));
        assertThat(LabelTable.masked("jdbc:postgresql://u:secret@h/db?user=u&password=pw&ssl=true"))
                .isEqualTo("jdbc:postgresql://u:***@h/db?user=u&password=***&ssl=true");
    }
}
