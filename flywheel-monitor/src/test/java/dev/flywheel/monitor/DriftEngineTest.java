package dev.flywheel.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.data.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DriftEngineTest {
    private static final DriftEngine ENGINE = DriftEngine.withDefaults();

    /** rows values of N(mean, 1), seeded. */
    private static double[] normal(int rows, double mean, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] out = new double[rows];
        for (int i = 0; i < rows; i++) {
            out[i] = mean + gaussian(r);
        }
        return out;
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    private static String[] categories(int rows, double shareOfB, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String[] out = new String[rows];
        for (int i = 0; i < rows; i++) {
            out[i] = r.nextDouble() < shareOfB ? "b" : r.nextBoolean() ? "a" : "c";
        }
        return out;
    }

    @Test
    void sameDistributionDoesNotDriftAndAShiftedOneDoes() {
        for (int rows : new int[] {200, 5_000}) {
            Table ref = Table.builder().doubles("x", normal(rows, 0, 1)).doubles("y", normal(rows, 0, 2)).build();
            Table cur = Table.builder().doubles("x", normal(rows, 0, 3)).doubles("y", normal(rows, 1, 4)).build();

            DriftReport report = ENGINE.compare(ref, cur);

            DriftMethod expected = rows <= 1000 ? DriftMethod.KS : DriftMethod.WASSERSTEIN;
            assertThat(report.column("x").method()).isEqualTo(expected);
            assertThat(report.column("x").drifted()).as("same distribution, %s rows", rows).isFalse();
            assertThat(report.column("y").drifted()).as("shifted by one sd, %s rows", rows).isTrue();
            assertThat(report.column("y").psiLevel()).isEqualTo(PsiLevel.ACT);
            assertThat(report.dataset()).isEqualTo(new DatasetDrift(true, 1, 2, 0.5, 0.5));
        }
    }

    @Test
    void datasetDriftsWhenAtLeastTheConfiguredShareOfColumnsDrift() {
        Table ref = Table.builder().doubles("x", normal(500, 0, 1)).doubles("y", normal(500, 0, 2)).build();
        Table cur = Table.builder().doubles("x", normal(500, 0, 3)).doubles("y", normal(500, 2, 4)).build();

        assertThat(ENGINE.compare(ref, cur).dataset().drifted()).isTrue();
        DriftReport stricter = DriftEngine.create(DriftConfig.defaults().withDriftShare(0.51)).compare(ref, cur);
        assertThat(stricter.dataset()).isEqualTo(new DatasetDrift(false, 1, 2, 0.5, 0.51));
    }

    @Test
    void automaticChoiceFollowsEvidentlyForEveryKindOfColumn() {
        Table large = Table.builder()
                .doubles("wide", normal(3000, 0, 1))
                .longs("three", new SplittableRandom(1).longs(3000, 0, 3).toArray())
                .strings("cat", categories(3000, 0.3, 2))
                .longs("binary", new SplittableRandom(3).longs(3000, 0, 2).toArray())
                .build();
        Table small = large.head(1000);

        assertThat(ENGINE.compare(small, small).columns()).extracting(ColumnDrift::method).containsExactly(
                DriftMethod.KS, DriftMethod.CHI_SQUARED, DriftMethod.CHI_SQUARED, DriftMethod.Z_TEST);
        assertThat(ENGINE.compare(large.head(1001), small).columns()).extracting(ColumnDrift::method)
                .containsExactly(DriftMethod.WASSERSTEIN, DriftMethod.JENSEN_SHANNON, DriftMethod.JENSEN_SHANNON,
                        DriftMethod.JENSEN_SHANNON);
        assertThat(ENGINE.compare(large, large).columns()).allMatch(c -> !c.drifted() && c.psi() == 0);
    }

    @Test
    void configuredMethodAndThresholdOverrideTheAutomaticChoice() {
        Table ref = Table.builder().doubles("x", normal(3000, 0, 1)).build();
        Table cur = Table.builder().doubles("x", normal(3000, 0.1, 2)).build();
        assertThat(ENGINE.compare(ref, cur).column("x").method()).isEqualTo(DriftMethod.WASSERSTEIN);

        ColumnDrift ks = DriftEngine.create(DriftConfig.defaults().withMethod("x", DriftMethod.KS)
                .withThreshold("x", 0.5)).compare(ref, cur).column("x");

        assertThat(ks.method()).isEqualTo(DriftMethod.KS);
        assertThat(ks.threshold()).isEqualTo(0.5);
        assertThat(ks.pValue()).isBetween(0.0, 0.5);
        assertThat(ks.drifted()).isTrue();
        ColumnDrift psi = DriftEngine.create(DriftConfig.defaults().withMethod("x", DriftMethod.PSI)
                .withThreshold("x", 0.0001)).compare(ref, cur).column("x");
        assertThat(psi.score()).isEqualTo(psi.psi());
        assertThat(psi.pValue()).isNull();
        assertThat(psi.drifted()).isTrue();
    }

    @Test
    void aMethodForEveryColumnAppliesWhereItCanAndPerColumnSettingsWin() {
        Table ref = Table.builder().doubles("a", normal(3000, 0, 1)).doubles("b", normal(3000, 0, 2))
                .strings("c", categories(3000, 0.3, 3)).build();
        Table cur = Table.builder().doubles("a", normal(3000, 0, 4)).doubles("b", normal(3000, 0, 5))
                .strings("c", categories(3000, 0.3, 6)).build();

        DriftReport report = DriftEngine.create(DriftConfig.defaults().withMethod(DriftMethod.KS).withThreshold(0.2)
                .withMethod("b", DriftMethod.PSI).withThreshold("b", 0.3)).compare(ref, cur);

        assertThat(report.columns()).extracting(ColumnDrift::method)
                .containsExactly(DriftMethod.KS, DriftMethod.PSI, DriftMethod.JENSEN_SHANNON);
        assertThat(report.columns()).extracting(ColumnDrift::threshold).containsExactly(0.2, 0.3, 0.2);
        DriftConfig perColumnOnly = DriftConfig.defaults().withMethod("a", DriftMethod.KS).withThreshold("a", 0.2);
        assertThat(perColumnOnly.method()).isNull();
        assertThat(perColumnOnly.threshold()).isNull();
    }

    @Test
    void missingValuesAreLeftOutAndReportedAsShares() {
        double[] ref = normal(400, 0, 1);
        double[] cur = ref.clone();
        cur[0] = Double.NaN;
        cur[1] = Double.POSITIVE_INFINITY;
        cur[2] = Double.NEGATIVE_INFINITY;
        cur[3] = Double.NaN;
        String[] refCats = categories(400, 0.2, 3);
        String[] curCats = refCats.clone();
        for (int i = 0; i < 40; i++) {
            curCats[i] = null;
        }

        DriftReport report = ENGINE.compare(Table.builder().doubles("x", ref).strings("c", refCats).build(),
                Table.builder().doubles("x", cur).strings("c", curCats).build());

        assertThat(report.column("x").currentValues()).isEqualTo(396);
        assertThat(report.column("x").currentMissingShare()).isEqualTo(0.01);
        assertThat(report.column("x").referenceMissingShare()).isZero();
        assertThat(report.column("x").drifted()).isFalse();
        assertThat(report.column("c").currentValues()).isEqualTo(360);
        assertThat(report.column("c").currentMissingShare()).isEqualTo(0.1);
        assertThat(report.dataset().drifted()).isFalse();
    }

    @Test
    void aColumnWithNoCurrentValuesIsReportedAsDriftedWithANote() {
        double[] empty = new double[50];
        java.util.Arrays.fill(empty, Double.NaN);
        DriftReport report = ENGINE.compare(Table.builder().doubles("x", normal(50, 0, 1)).build(),
                Table.builder().doubles("x", empty).build());

        ColumnDrift x = report.column("x");
        assertThat(x.drifted()).isTrue();
        assertThat(x.score()).isNull();
        assertThat(x.pValue()).isNull();
        assertThat(x.psi()).isNull();
        assertThat(x.currentMissingShare()).isEqualTo(1.0);
        assertThat(x.note()).isEqualTo("no values in the current data (all 50 rows are missing)");
    }

    @Test
    void badInputIsRefusedWithWhatIsWrongAndHowToFixIt() {
        Table ref = Table.builder().doubles("x", normal(30, 0, 1)).strings("c", categories(30, 0.5, 1)).build();
        Table cur = Table.builder().doubles("x", normal(30, 0, 2)).strings("c", categories(30, 0.5, 2)).build();
        double[] allMissing = new double[30];
        java.util.Arrays.fill(allMissing, Double.NaN);

        assertInvalid(() -> DriftEngine.create(DriftConfig.defaults().withMethod("c", DriftMethod.KS)).compare(ref, cur),
                "method ks needs a numeric column, but 'c' is categorical (string); use chisquare, z, jensenshannon or psi");
        assertInvalid(() -> DriftEngine.create(DriftConfig.defaults().withThreshold("x", 5)).compare(ref, cur),
                "threshold 5.0 for column 'x' is a significance level for ks (drift when p < threshold); use a value"
                        + " in (0, 1], such as 0.05");
        assertInvalid(() -> DriftEngine.create(DriftConfig.defaults().withMethod("nope", DriftMethod.KS)).compare(ref, cur),
                "a method is set for column 'nope', which is not compared; compared columns: [x, c]");
        assertInvalid(() -> DriftEngine.create(DriftConfig.defaults().withColumns(List.of("x"))
                        .withThreshold("c", 0.1)).compare(ref, cur),
                "a threshold is set for column 'c', which is not compared; compared columns: [x]");
        assertInvalid(() -> ENGINE.compare(ref, cur.select("x")),
                "column 'c' is in the reference but not in the current data (its columns are [x]); compare only the"
                        + " columns both have");
        assertInvalid(() -> DriftEngine.create(DriftConfig.defaults().withColumns(List.of("z"))).compare(ref, cur),
                "column 'z' is not in the reference; its columns are [x, c]");
        assertInvalid(() -> ENGINE.compare(ref, cur.head(0)),
                "the current data has no rows; drift needs at least one row to compare");
        assertInvalid(() -> ENGINE.compare(ref.head(0), cur),
                "the reference data has no rows; drift needs a reference with values");
        assertInvalid(() -> ENGINE.compare(ref.withColumn("x", Table.builder().doubles("x", allMissing).build().column("x")), cur),
                "column 'x' has no values in the reference (all 30 rows are missing); leave it out of the comparison or"
                        + " fix the reference data");
        assertInvalid(() -> ENGINE.compare(ref, cur.withColumn("x", cur.column("c"))),
                "column 'x' is numeric (double) in the reference but holds text in the current data (for example 'a');"
                        + " fix the current data or leave the column out");
        assertInvalid(() -> DriftConfig.defaults().withDriftShare(0),
                "dataset drift share 0.0 is out of range; use a share in (0, 1], for example 0.5 for 'at least half of"
                        + " the columns drift'");
        assertInvalid(() -> DriftMethod.parse("kolmogorov"),
                "unknown drift method 'kolmogorov'; use one of ks, wasserstein, chisquare, jensenshannon, z, psi");
    }

    private static void assertInvalid(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(FlywheelException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void columnsOnlyInTheCurrentDataAreIgnoredAndChosenColumnsKeepTheirOrder() {
        Table ref = Table.builder().doubles("a", normal(40, 0, 1)).doubles("b", normal(40, 0, 2)).build();
        Table cur = ref.withColumn("request_id", Table.builder().strings("r", categories(40, 0.5, 1)).build().column("r"));

        assertThat(ENGINE.compare(ref, cur).columns()).extracting(ColumnDrift::column).containsExactly("a", "b");
        assertThat(DriftEngine.create(DriftConfig.defaults().withColumns(List.of("b", "a"))).compare(ref, cur).columns())
                .extracting(ColumnDrift::column).containsExactly("b", "a");
    }

    @Test
    void numbersInTheCurrentDataAreComparedAsTextWithACategoricalReference() {
        Table ref = Table.builder().strings("code", "1", "2", "x", "2").build();
        Table cur = Table.builder().longs("code", 1, 2, 2, 1).build();

        ColumnDrift drift = ENGINE.compare(ref, cur).column("code");

        assertThat(drift.kind()).isEqualTo(ColumnKind.CATEGORICAL);
        assertThat(drift.method()).isEqualTo(DriftMethod.CHI_SQUARED);
        assertThat(drift.currentValues()).isEqualTo(4);
    }

    @Test
    void resultsDoNotDependOnHowManyColumnsRunAtOnce() {
        Table.Builder ref = Table.builder();
        Table.Builder cur = Table.builder();
        for (int c = 0; c < 7; c++) {
            ref.doubles("n" + c, normal(2_000, 0, c));
            cur.doubles("n" + c, normal(2_000, c * 0.05, 100 + c));
        }
        ref.strings("cat", categories(2_000, 0.3, 7)).longs("k", new SplittableRandom(8).longs(2_000, 0, 3).toArray());
        cur.strings("cat", categories(2_000, 0.4, 9)).longs("k", new SplittableRandom(10).longs(2_000, 0, 3).toArray());
        Table k = cur.build();

        for (Table r : List.of(ref.build(), ref.build().head(700))) {
            DriftReport one = DriftEngine.create(DriftConfig.defaults().withParallelism(1)).compare(r, k);
            DriftReport many = DriftEngine.create(DriftConfig.defaults().withParallelism(4)).compare(r, k);
            assertThat(many).isEqualTo(one);
        }
    }

    @Test
    void psiLevelsFollowTheConfiguredLevels() {
        assertThat(PsiLevel.of(0.05, 0.1, 0.25)).isEqualTo(PsiLevel.STABLE);
        assertThat(PsiLevel.of(0.1, 0.1, 0.25)).isEqualTo(PsiLevel.WARN);
        assertThat(PsiLevel.of(0.25, 0.1, 0.25)).isEqualTo(PsiLevel.ACT);
        Table ref = Table.builder().doubles("x", normal(3000, 0, 1)).build();
        Table cur = Table.builder().doubles("x", normal(3000, 0.6, 2)).build();
        double psi = ENGINE.compare(ref, cur).column("x").psi();
        assertThat(DriftEngine.create(DriftConfig.defaults().withPsiLevels(psi / 2, psi * 2)).compare(ref, cur)
                .column("x").psiLevel()).isEqualTo(PsiLevel.WARN);
    }

    @Test
    void predictionDriftIsTheSameComparisonOnTheOutputColumn() {
        Table training = Table.builder().doubles("temp", normal(3000, 0, 1)).doubles("prediction", normal(3000, 5, 2)).build();
        Table live = Table.builder().doubles("temp", normal(3000, 0, 3)).doubles("prediction", normal(3000, 6, 4)).build();

        DriftReport report = DriftEngine.create(DriftConfig.defaults().withColumns(List.of("prediction")))
                .compare(ReferenceProfile.of(training), live);

        assertThat(report.columns()).extracting(ColumnDrift::column).containsExactly("prediction");
        assertThat(report.column("prediction").drifted()).isTrue();
    }

    @Test
    void reportJsonHasOneEntryPerColumnWithSnakeCaseFields() throws Exception {
        Table ref = Table.builder().doubles("x", normal(3000, 0, 1)).strings("c", categories(3000, 0.2, 1)).build();
        Table cur = Table.builder().doubles("x", normal(100, 0, 2)).strings("c", categories(100, 0.2, 2)).build();

        JsonNode json = JsonMapper.builder().build().readTree(JsonMapper.builder().build()
                .writeValueAsString(ENGINE.compare(ref, cur)));

        assertThat(json.get("reference_rows").asInt()).isEqualTo(3000);
        assertThat(json.get("columns")).hasSize(2);
        JsonNode x = json.get("columns").get(0);
        assertThat(x.get("column").asText()).isEqualTo("x");
        assertThat(x.get("method").asText()).isEqualTo("wasserstein");
        assertThat(x.get("p_value").isNull()).isTrue();
        assertThat(x.get("threshold").asDouble()).isEqualTo(0.1);
        assertThat(x.has("score") && x.has("drifted") && x.has("psi") && x.has("psi_level")).isTrue();
        assertThat(json.get("dataset").get("drifted_columns").isInt()).isTrue();
    }

    @Test
    void compareCsvReadsBothFilesAndNamesAMissingOne(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.csv");
        Files.writeString(a, "x,c\n1.5,a\n2.5,b\n3.5,a\n");
        Files.writeString(b, "x,c\n1.5,a\n2.5,b\n9.5,b\n");

        DriftReport report = ENGINE.compareCsv(a, b);

        assertThat(report.columns()).hasSize(2);
        assertThat(report.currentRows()).isEqualTo(3);
        assertThatThrownBy(() -> ENGINE.compareCsv(a, dir.resolve("missing.csv")))
                .isInstanceOfSatisfying(FlywheelException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
                    assertThat(e.getMessage()).contains("missing.csv");
                });
    }
}
