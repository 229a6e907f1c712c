package dev.flywheel.sdk.data;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TableOperationsTest {
    private final Table t = Table.builder()
            .longs("hr", 0, 1, 2, 3, 4)
            .doubles("temp", 0.1, 0.2, Double.NaN, 0.4, 0.5)
            .strings("day", "mon", "mon", "tue", null, "wed")
            .build();

    private static Table numbered(int rows) {
        return Table.builder().longs("i", IntStream.range(0, rows).asLongStream().toArray()).build();
    }

    @Test
    void unknownColumnErrorListsTheColumns() {
        assertThatThrownBy(() -> t.column("tmp"))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessage("no column 'tmp' in this table; its columns are [hr, temp, day]");
    }

    @Test
    void doublesWidensLongsAndWrongTypeSaysWhatToUse() {
        assertThat(t.doubles("hr")).containsExactly(0, 1, 2, 3, 4);
        assertThatThrownBy(() -> t.doubles("day")).hasMessageContaining("'day' is string").hasMessageContaining("strings(\"day\")");
        assertThatThrownBy(() -> t.strings("hr")).hasMessageContaining("'hr' is long");
        assertThatThrownBy(() -> t.longs("temp")).hasMessageContaining("'temp' is double");
    }

    @Test
    void arraysHandedOutAndInAreCopies() {
        double[] in = {1, 2};
        Table table = Table.builder().doubles("x", in).build();
        in[0] = 99;
        table.doubles("x")[1] = 99;
        assertThat(table.doubles("x")).containsExactly(1, 2);
    }

    @Test
    void selectAndDropKeepTheRequestedColumnsInOrder() {
        assertThat(t.select("day", "hr").columnNames()).containsExactly("day", "hr");
        assertThat(t.drop("temp").columnNames()).containsExactly("hr", "day");
        assertThatThrownBy(() -> t.drop("nope")).hasMessageContaining("no column 'nope'");
        assertThat(t.columnNames()).as("the original is unchanged").containsExactly("hr", "temp", "day");
    }

    @Test
    void headAndSliceTakeRowRanges() {
        assertThat(t.head(2).longs("hr")).containsExactly(0, 1);
        assertThat(t.head(50).rowCount()).isEqualTo(5);
        assertThat(t.slice(1, 3).strings("day")).containsExactly("mon", "tue");
        assertThatThrownBy(() -> t.slice(3, 9)).hasMessageContaining("out of range for a table of 5 rows");
        assertThatThrownBy(() -> t.head(-1)).hasMessageContaining("must not be negative");
    }

    @Test
    void filterByRowAndWhereByColumnKeepMatchingRowsInOrder() {
        Table mondays = t.filter(row -> "mon".equals(row.getString("day")));
        assertThat(mondays.longs("hr")).containsExactly(0, 1);
        Table warm = t.where("temp", v -> v > 0.15);
        assertThat(warm.longs("hr")).as("NaN fails every comparison").containsExactly(1, 3, 4);
        assertThat(t.where("hr", h -> h % 2 == 0).longs("hr")).containsExactly(0, 2, 4);
        assertThat(t.filter(row -> row.getDouble("hr") >= 3 && row.index() < 4).longs("hr")).containsExactly(3);
        assertThatThrownBy(() -> t.where("day", v -> true)).hasMessageContaining("'day' is string");
    }

    @Test
    void randomSplitIsDeterministicDisjointAndComplete() {
        Table rows = numbered(1000);
        Table.Split a = rows.randomSplit(0.2, 42);
        Table.Split b = rows.randomSplit(0.2, 42);
        assertThat(a).isEqualTo(b);
        assertThat(a.test().rowCount()).isEqualTo(200);
        assertThat(a.train().rowCount()).isEqualTo(800);
        assertThat(a.train().concat(a.test()).longs("i")).containsExactlyInAnyOrder(rows.longs("i"));
        assertThat(a.test().longs("i")).isSorted();
        assertThat(a.test().longs("i")).as("not simply the first or last rows").isNotEqualTo(rows.head(200).longs("i"));
        assertThat(rows.randomSplit(0.2, 7).test()).isNotEqualTo(a.test());
    }

    @Test
    void orderedSplitHoldsOutTheLastRows() {
        Table.Split s = numbered(10).orderedSplit(0.3);
        assertThat(s.train().longs("i")).containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThat(s.test().longs("i")).containsExactly(7, 8, 9);
        assertThatThrownBy(() -> t.orderedSplit(1.5)).hasMessageContaining("test fraction 1.5 is out of range");
        assertThatThrownBy(() -> t.randomSplit(0, 1)).hasMessageContaining("between 0 and 1");
    }

    @Test
    void concatAppendsRowsAndWidensLongToDouble() {
        Table both = t.concat(t);
        assertThat(both.rowCount()).isEqualTo(10);
        assertThat(both.strings("day")).containsExactly("mon", "mon", "tue", null, "wed", "mon", "mon", "tue", null, "wed");
        Table ints = Table.builder().longs("v", 1, 2).build();
        Table reals = Table.builder().doubles("v", 0.5).build();
        assertThat(ints.concat(reals).doubles("v")).containsExactly(1, 2, 0.5);
    }

    @Test
    void concatOfDifferentSchemasShowsBothSides() {
        assertThatThrownBy(() -> t.concat(t.drop("day")))
                .hasMessageContaining("[hr, temp, day]").hasMessageContaining("[hr, temp]");
        Table text = Table.builder().strings("v", "a").build();
        Table num = Table.builder().longs("v", 1).build();
        assertThatThrownBy(() -> text.concat(num)).hasMessageContaining("column 'v': it is string in this table and long in the other");
    }

    @Test
    void rowMajorFloatsFollowTheRequestedColumnOrder() {
        float[] x = t.toRowMajorFloats(List.of("temp", "hr"));
        assertThat(x).hasSize(10);
        assertThat(x).containsExactly(0.1f, 0f, 0.2f, 1f, Float.NaN, 2f, 0.4f, 3f, 0.5f, 4f);
        assertThatThrownBy(() -> t.toRowMajorFloats(List.of("day"))).hasMessageContaining("'day' is string");
    }

    @Test
    void columnsOfDifferentLengthsAreRejected() {
        assertThatThrownBy(() -> Table.builder().longs("a", 1, 2).doubles("b", 1).build())
                .hasMessageContaining("column 'b' has 1 values but column 'a' has 2");
        assertThatThrownBy(() -> Table.builder().longs("a", 1).longs("a", 2))
                .hasMessageContaining("'a' was added twice");
    }

    @Test
    void withColumnAddsOrReplaces() {
        Table doubled = t.withColumn("hr", Column.of(0L, 2L, 4L, 6L, 8L)).withColumn("y", Column.of(1.0, 2, 3, 4, 5));
        assertThat(doubled.columnNames()).containsExactly("hr", "temp", "day", "y");
        assertThat(doubled.longs("hr")).containsExactly(0, 2, 4, 6, 8);
        assertThatThrownBy(() -> t.withColumn("z", Column.of(1.0))).hasMessageContaining("has 1 values but the table has 5 rows");
    }

    @Test
    void toStringPreviewsShapeSchemaAndFirstRows() {
        String preview = numbered(8).withColumn("s", Column.of("a", "b", "c", "d", "e", "f", "g", "h")).toString();
        assertThat(preview).startsWith("Table[8 rows x 2 columns]\ni:long, s:string\n0, a\n");
        assertThat(preview).endsWith("4, e\n... 3 more rows");
    }
}
