package dev.flywheel.sdk.data;

import dev.flywheel.testkit.SharedData;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TableCsvTest {
    @TempDir
    Path dir;

    private Path csv(String content) throws IOException {
        Path file = dir.resolve("data.csv");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void columnTypesAreInferredFromEveryCell() throws IOException {
        Table t = Table.readCsv(csv("id,temp,day,big\n1,0.5,mon,1e3\n2,-3,tue,-2.5E-2\n-7,4,wed,12\n"));
        assertThat(t.rowCount()).isEqualTo(3);
        assertThat(t.columnNames()).containsExactly("id", "temp", "day", "big");
        assertThat(t.column("id")).isInstanceOf(LongColumn.class);
        assertThat(t.longs("id")).containsExactly(1, 2, -7);
        assertThat(t.column("temp")).isInstanceOf(DoubleColumn.class);
        assertThat(t.doubles("temp")).containsExactly(0.5, -3, 4);
        assertThat(t.strings("day")).containsExactly("mon", "tue", "wed");
        assertThat(t.doubles("big")).containsExactly(1000, -0.025, 12);
    }

    @Test
    void parsedDoublesMatchJavaParsingExactly() throws IOException {
        String[] values = {"0.1", "0.2879", "123456.789", "1.7976931348623157E308", "4.9e-324", "0.30000000000000004",
            "12345678901234567890.5", "-0.0", "3.141592653589793238462643383279", "1e22", "1e23", ".5", "5."};
        StringBuilder sb = new StringBuilder("x\n");
        for (String v : values) {
            sb.append(v).append('\n');
        }
        double[] read = Table.readCsv(csv(sb.toString())).doubles("x");
        for (int i = 0; i < values.length; i++) {
            assertThat(read[i]).as(values[i]).isEqualTo(Double.parseDouble(values[i]));
        }
    }

    @Test
    void emptyCellsAreNaNInNumericColumnsAndNullInStringColumns() throws IOException {
        Table t = Table.readCsv(csv("a,b,c,d\n1,,x,\n,2.5,,\n3,1,z,\n"));
        assertThat(t.column("a")).as("integers with a gap become double").isInstanceOf(DoubleColumn.class);
        assertThat(t.doubles("a")).containsExactly(1, Double.NaN, 3);
        assertThat(t.doubles("b")).containsExactly(Double.NaN, 2.5, 1);
        assertThat(t.strings("c")).containsExactly("x", null, "z");
        assertThat(t.doubles("d")).as("a column with no values").containsExactly(Double.NaN, Double.NaN, Double.NaN);
    }

    @Test
    void quotedFieldsKeepCommasQuotesAndLineBreaks() throws IOException {
        Table t = Table.readCsv(csv("name,note,n\r\n\"Smith, J\",\"said \"\"hi\"\"\",\"12\"\r\nplain,\"two\nlines\",3\r\n"));
        assertThat(t.strings("name")).containsExactly("Smith, J", "plain");
        assertThat(t.strings("note")).containsExactly("said \"hi\"", "two\nlines");
        assertThat(t.longs("n")).containsExactly(12, 3);
    }

    @Test
    void utf8TextAndByteOrderMarkAreHandled() throws IOException {
        Path file = dir.resolve("bom.csv");
        byte[] body = "städt,n\nMünchen,1\n東京,2\n".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        Files.write(file, withBom);
        Table t = Table.readCsv(file);
        assertThat(t.columnNames()).containsExactly("städt", "n");
        assertThat(t.strings("städt")).containsExactly("München", "東京");
    }

    @Test
    void raggedRowIsRejectedWithFileLineAndFieldCounts() throws IOException {
        Path file = csv("a,b,c\n1,2,3\n4,5\n");
        assertThatThrownBy(() -> Table.readCsv(file))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining(file.toString())
                .hasMessageContaining("line 3 has 2 fields but the header has 3");
    }

    @Test
    void raggedRowAfterMultiLineQuotedFieldReportsItsOwnLine() throws IOException {
        Path file = csv("a,b\n\"x\ny\",1\n1,2,3\n");
        assertThatThrownBy(() -> Table.readCsv(file)).hasMessageContaining("line 4 has 3 fields");
    }

    @Test
    void emptyFileIsRejectedAsNeedingAHeader() throws IOException {
        Path file = csv("");
        assertThatThrownBy(() -> Table.readCsv(file))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("is empty").hasMessageContaining("header row");
    }

    @Test
    void headerOnlyGivesColumnsWithoutRows() throws IOException {
        Table t = Table.readCsv(csv("a,b\n"));
        assertThat(t.columnNames()).containsExactly("a", "b");
        assertThat(t.rowCount()).isZero();
    }

    @Test
    void blankLinesAreSkippedAndLastLineNeedsNoNewline() throws IOException {
        Table t = Table.readCsv(csv("a,b\n1,2\n\n3,4"));
        assertThat(t.longs("a")).containsExactly(1, 3);
        assertThat(t.longs("b")).containsExactly(2, 4);
    }

    @Test
    void unclosedQuoteIsRejectedWithTheLineItStarts() throws IOException {
        Path file = csv("a,b\n1,\"oops\n2,3\n");
        assertThatThrownBy(() -> Table.readCsv(file)).hasMessageContaining("line 2").hasMessageContaining("never closed");
    }

    @Test
    void textAfterClosingQuoteIsRejected() throws IOException {
        Path file = csv("a\n\"x\"y\n");
        assertThatThrownBy(() -> Table.readCsv(file)).hasMessageContaining("line 2, field 1").hasMessageContaining("after a closing quote");
    }

    @Test
    void duplicateOrEmptyHeaderNamesAreRejected() throws IOException {
        Path dup = csv("a,b,a\n1,2,3\n");
        assertThatThrownBy(() -> Table.readCsv(dup)).hasMessageContaining("'a' appears twice");
        Path unnamed = csv(",b\n1,2\n");
        assertThatThrownBy(() -> Table.readCsv(unnamed)).hasMessageContaining("column 1 of the header has no name");
    }

    @Test
    void missingFileIsNotFoundWithItsPath() {
        Path file = dir.resolve("nope.csv");
        assertThatThrownBy(() -> Table.readCsv(file))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("nope.csv");
    }

    @Test
    void numbersTooLongForALongBecomeDoubleAndNonNumbersString() throws IOException {
        Table t = Table.readCsv(csv("big,mixed,words\n99999999999999999999,1,NaN\n1,2x,inf\n"));
        assertThat(t.column("big")).isInstanceOf(DoubleColumn.class);
        assertThat(t.doubles("big")).containsExactly(1e20, 1);
        assertThat(t.strings("mixed")).containsExactly("1", "2x");
        assertThat(t.doubles("words")).containsExactly(Double.NaN, Double.POSITIVE_INFINITY);
    }

    @Test
    void writtenCsvReadsBackToAnEqualTable() throws IOException {
        Table t = Table.builder()
                .longs("id", 1, 2, 3)
                .doubles("x", 1.0, Double.NaN, 0.1)
                .strings("s", "a,b", null, "quote \" and\nnewline")
                .build();
        Path file = dir.resolve("out/t.csv");
        t.writeCsv(file);
        assertThat(Table.readCsv(file)).isEqualTo(t);
        try (var files = Files.list(file.getParent())) {
            assertThat(files).as("no temporary file is left").containsExactly(file);
        }
    }

    @Test
    void bikeSharingHoursReadWithExpectedShapeAndTypes() {
        Path hours = SharedData.requireBikeSharingHours();
        Table t = Table.readCsv(hours);
        assertThat(t.rowCount()).isEqualTo(17_379);
        assertThat(t.columnCount()).isEqualTo(17);
        assertThat(t.column("dteday")).isInstanceOf(StringColumn.class);
        assertThat(t.column("cnt")).isInstanceOf(LongColumn.class);
        assertThat(t.column("temp")).isInstanceOf(DoubleColumn.class);
        assertThat(t.doubles("temp")[0]).isEqualTo(0.24);
        assertThat(t.longs("cnt")[0]).isEqualTo(16);
        assertThat(t.toRowMajorFloats(List.of("temp", "hr"))).startsWith(0.24f, 0f, 0.22f, 1f);
    }
}
