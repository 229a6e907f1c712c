package dev.flywheel.monitor;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.data.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReferenceProfileTest {

    private static Table training() {
        double[] x = IntStream.rangeClosed(1, 101).mapToDouble(i -> i).toArray();
        x[100] = Double.NaN;
        String[] city = new String[101];
        for (int i = 0; i < city.length; i++) {
            city[i] = i % 10 == 9 ? null : i % 3 == 0 ? "oslo" : i % 3 == 1 ? "rome" : "lima";
        }
        long[] flag = IntStream.range(0, 101).mapToLong(i -> i % 4 == 0 ? 1 : 0).toArray();
        return Table.builder().doubles("x", x).strings("city", city).longs("flag", flag).build();
    }

    @Test
    void profileDescribesEachColumn() {
        ReferenceProfile profile = ReferenceProfile.of(training(), ProfileOptions.defaults().withHistogramBins(4));

        assertThat(profile.formatVersion()).isEqualTo(1);
        assertThat(profile.rows()).isEqualTo(101);
        assertThat(profile.columnNames()).containsExactly("x", "city", "flag");

        NumericProfile x = (NumericProfile) profile.column("x");
        assertThat(x.type()).isEqualTo("double");
        assertThat(x.count()).isEqualTo(100);
        assertThat(x.missing()).isEqualTo(1);
        assertThat(x.missingShare()).isEqualTo(1 / 101.0);
        assertThat(x.distinct()).isEqualTo(100);
        assertThat(x.min()).isEqualTo(1.0);
        assertThat(x.max()).isEqualTo(100.0);
        assertThat(x.mean()).isEqualTo(50.5);
        assertThat(x.std()).isCloseTo(Math.sqrt((100.0 * 100 - 1) / 12), org.assertj.core.data.Offset.offset(1e-12));
        // NumPy 1.24 and 2.4, bit for bit: np.quantile(np.arange(1, 101.), [0, .01, .05, .1, .25, .5, .75, .9, .95, .99, 1])
        assertThat(x.quantiles()).extracting(NumericProfile.Quantile::value)
                .containsExactly(1.0, 1.99, 5.95, 10.9, 25.75, 50.5, 75.25, 90.10000000000001, 95.05, 99.01, 100.0);
        assertThat(x.histogram().edges()).containsExactly(1.0, 25.75, 50.5, 75.25, 100.0);
        assertThat(x.histogram().counts()).containsExactly(25, 25, 25, 25);
        assertThat(x.values()).as("more than 20 distinct values: no exact value counts").isNull();
        assertThat(x.sample()).hasSize(100);

        CategoricalProfile city = (CategoricalProfile) profile.column("city");
        assertThat(city.count()).isEqualTo(91);
        assertThat(city.missing()).isEqualTo(10);
        assertThat(city.distinct()).isEqualTo(3);
        assertThat(city.categories()).as("most frequent first, ties by value").containsExactly(
                new CategoricalProfile.CategoryCount("rome", 31), new CategoricalProfile.CategoryCount("lima", 30),
                new CategoricalProfile.CategoryCount("oslo", 30));
        assertThat(city.other()).isZero();

        NumericProfile flag = (NumericProfile) profile.column("flag");
        assertThat(flag.type()).isEqualTo("long");
        assertThat(flag.values()).containsExactly(new NumericProfile.ValueCount(0, 75), new NumericProfile.ValueCount(1, 26));
    }

    @Test
    void sampleIsSeededAndBounded() {
        Table big = Table.builder().doubles("x", IntStream.range(0, 50_000).mapToDouble(i -> i * 0.5).toArray()).build();
        ProfileOptions options = ProfileOptions.defaults().withSampleSize(1_000);

        double[] a = ((NumericProfile) ReferenceProfile.of(big, options).column("x")).sample();
        double[] b = ((NumericProfile) ReferenceProfile.of(big, options).column("x")).sample();
        double[] c = ((NumericProfile) ReferenceProfile.of(big, options.withSeed(7)).column("x")).sample();

        assertThat(a).hasSize(1_000).containsExactly(b);
        assertThat(c).isNotEqualTo(a);
        assertThat(Arrays.stream(a).distinct().count()).isEqualTo(1_000);
        // A uniform sample of 0..25,000: its mean is within a few standard errors of the population's.
        assertThat(Arrays.stream(a).average().orElseThrow()).isBetween(12_500 - 700.0, 12_500 + 700.0);
    }

    @Test
    void rareCategoriesBeyondTheLimitAreCountedTogether() {
        String[] values = new String[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i < 700 ? "common" : i < 900 ? "usual" : "rare" + (i % 20);
        }
        CategoricalProfile p = (CategoricalProfile) ReferenceProfile.of(Table.builder().strings("c", values).build(),
                ProfileOptions.defaults().withMaxCategories(2)).column("c");

        assertThat(p.categories()).extracting(CategoricalProfile.CategoryCount::value).containsExactly("common", "usual");
        assertThat(p.other()).isEqualTo(100);
        assertThat(p.distinct()).isEqualTo(22);

        String[] current = values.clone();
        Arrays.fill(current, 0, 300, "brand-new");
        ColumnDrift drift = DriftEngine.withDefaults().compare(ReferenceProfile.of(Table.builder().strings("c", values)
                .build(), ProfileOptions.defaults().withMaxCategories(2)), Table.builder().strings("c", current).build())
                .column("c");
        assertThat(drift.drifted()).as("300 values in categories the profile lumps into 'other'").isTrue();
    }

    @Test
    void jsonRoundTripsExactly() {
        double[] awkward = {0.1 + 0.2, Math.PI, -0.0, 1e-300, Double.MAX_VALUE, -Double.MIN_VALUE, 123456789.123456789};
        Table t = training().head(7).withColumn("awkward", Table.builder().doubles("a", awkward).build().column("a"));
        ReferenceProfile profile = ReferenceProfile.of(t);

        String json = profile.toJson();
        ReferenceProfile back = ReferenceProfile.fromJson(json);

        assertThat(back.toJson()).isEqualTo(json);
        assertThat(((NumericProfile) back.column("awkward")).sample())
                .containsExactly(((NumericProfile) profile.column("awkward")).sample());
        assertThat(json).startsWith("{\"format_version\":1,\"rows\":7,\"options\":{\"sample_size\":10000,");
        assertThat(json).contains("\"kind\":\"numeric\"", "\"kind\":\"categorical\"", "\"missing_share\":");
    }

    @Test
    void profilesThatCannotBeTrustedAreRefusedWithTheReason() {
        String json = ReferenceProfile.of(training()).toJson();

        assertRefused("not json", "reference profile is not valid JSON: ");
        assertRefused("{\"rows\":3}", "this is not a reference profile: it has no format_version");
        assertRefused(json.replace("\"format_version\":1", "\"format_version\":2"),
                "reference profile has format version 2; this Flywheel reads versions 1 to 1 (upgrade Flywheel to read it)");
        assertRefused(json.replace("\"count\":100,", "\"count\":99,"),
                "reference profile column 'x' is inconsistent: 99 values + 1 missing != 101 rows");
        assertRefused(json.replace("\"rows\":101", "\"rows\":\"many\""), "reference profile is malformed: ");
        // Fields added by a later version of the same format are ignored.
        assertThat(ReferenceProfile.fromJson(json.replace("\"rows\":101", "\"rows\":101,\"made_by\":\"future\""))
                .toJson()).isEqualTo(json);
    }

    private static void assertRefused(String json, String messageStart) {
        assertThatThrownBy(() -> ReferenceProfile.fromJson(json)).isInstanceOfSatisfying(FlywheelException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).startsWith(messageStart);
        });
    }

    static List<ScipyFixtures.Case> cases() {
        return ScipyFixtures.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void driftAgainstAProfileEqualsDriftAgainstItsDataWhenTheSampleHoldsEveryValue(ScipyFixtures.Case c) {
        Table reference = c.referenceTable();
        Table current = c.currentTable();
        ReferenceProfile stored = ReferenceProfile.fromJson(ReferenceProfile.of(reference).toJson());

        DriftReport fromTable = DriftEngine.withDefaults().compare(reference, current);
        DriftReport fromProfile = DriftEngine.withDefaults().compare(stored, current);

        if (reference.rowCount() <= ProfileOptions.defaults().sampleSize()) {
            assertThat(fromProfile).isEqualTo(fromTable);
        } else {
            ColumnDrift exact = fromTable.column("x");
            ColumnDrift sampled = fromProfile.column("x");
            assertThat(sampled.method()).isEqualTo(exact.method());
            assertThat(sampled.referenceValues()).isEqualTo(exact.referenceValues());
            assertThat(sampled.score()).isCloseTo(exact.score(), org.assertj.core.data.Offset.offset(0.02));
        }
    }

    @Test
    void countTestsFromASampledProfileUseExactCounts() {
        List<Table> parts = new ArrayList<>();
        long[] ref = IntStream.range(0, 5000).mapToLong(i -> i % 3 == 0 ? 1 : 0).toArray();
        long[] cur = IntStream.range(0, 4000).mapToLong(i -> i % 4 == 0 ? 1 : 0).toArray();
        Table reference = Table.builder().longs("b", ref).build();
        Table current = Table.builder().longs("b", cur).build();
        parts.add(reference);

        ReferenceProfile small = ReferenceProfile.of(reference, ProfileOptions.defaults().withSampleSize(50));

        assertThat(((NumericProfile) small.column("b")).sample()).hasSize(50);
        assertThat(DriftEngine.withDefaults().compare(small, current))
                .isEqualTo(DriftEngine.withDefaults().compare(parts.get(0), current));
    }
}
