package dev.flywheel.engine.validate;

import dev.flywheel.sdk.data.Table;
import dev.flywheel.sdk.validate.Expectations;
import dev.flywheel.sdk.validate.ValidationReport;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The built-in {@code ranges} data validator: what it reports, in words someone exporting data can act on. */
class RangesDataValidatorTest {
    private static final Expectations EXPECT;

    static {
        Map<String, double[]> ranges = new LinkedHashMap<>();
        ranges.put("temp", new double[]{-20, 45});
        ranges.put("demand", new double[]{0, 1000});
        ranges.put("hour", new double[]{0, 23});
        EXPECT = Expectations.ranges(ranges, "batch");
    }

    private static Table table(double[] temp, double[] demand) {
        return Table.builder().strings("batch", "b-1.csv", "b-2.csv", "b-3.csv").doubles("temp", temp).doubles("demand", demand)
                .longs("hour", 0, 1, 2).build();
    }

    @Test
    void goodDataPasses() {
        ValidationReport r = new RangesDataValidator(false).validate(table(new double[]{1, 2, 3}, new double[]{0, 1000, 5}), EXPECT);
        assertThat(r.passed()).isTrue();
        r.requireValid();
    }

    @Test
    void everyKindOfProblemNamesSourceColumnCountAndOneValue() {
        Table bad = table(new double[]{1, 99, Double.NaN}, new double[]{-1, 5, 5});
        ValidationReport r = new RangesDataValidator(false).validate(bad, EXPECT);
        assertThat(r.problems()).containsExactly(
                "b-2.csv: column 'temp' has 2 values missing or outside [-20, 45] (row 2 has the value 99.0)",
                "b-1.csv: column 'demand' has 1 value missing or outside [0, 1000] (row 1 has the value -1.0)");
        assertThatThrownBy(r::requireValid).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Invalid data (2 problems): b-2.csv");

        ValidationReport lenient = new RangesDataValidator(true).validate(bad, EXPECT);
        assertThat(lenient.problems()).first().asString().isEqualTo("b-2.csv: column 'temp' has 1 value outside [-20, 45] (row 2 has the value 99.0)");

        Table shapes = Table.builder().strings("temp", "x", "y").doubles("demand", 1, 2).build();
        assertThat(new RangesDataValidator(false).validate(shapes, EXPECT).problems()).containsExactly(
                "data: column 'temp' holds text, expected numbers", "data: column 'hour' is missing (found [temp, demand])");
    }
}
