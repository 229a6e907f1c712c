package dev.flywheel.store.materialize.internal;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.data.Column;
import dev.flywheel.sdk.data.DoubleColumn;
import dev.flywheel.sdk.data.LongColumn;
import dev.flywheel.sdk.data.StringColumn;
import dev.flywheel.sdk.data.Table;
import dev.flywheel.sdk.spi.Materializer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code table-v1}: a compact columnar binary form of {@link Table}, all little-endian.
 * <pre>
 * "FWTB" | version u16 (=1) | columns i32 | rows i32
 * per column: name length u16 | name UTF-8 | type u8 (1 double, 2 long, 3 string)
 * per column: rows x f64 | rows x i64 | rows x (length i32, -1 for null | UTF-8 bytes)
 * </pre>
 * Numeric columns are copied in bulk, so reading and writing run at memory speed.
 */
public final class TableMaterializer implements Materializer<Table> {
    public static final String FORMAT = "table-v1";
    private static final byte[] MAGIC = {'F', 'W', 'T', 'B'};
    private static final int VERSION = 1;
    private static final int DOUBLE = 1;
    private static final int LONG = 2;
    private static final int STRING = 3;

    @Override
    public Class<Table> type() {
        return Table.class;
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public void write(Table table, OutputStream stream) throws IOException {
        LittleEndianOutput out = new LittleEndianOutput(stream);
        out.writeBytes(MAGIC);
        out.writeShort(VERSION);
        out.writeInt(table.columnCount());
        out.writeInt(table.rowCount());
        for (String name : table.columnNames()) {
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > 0xFFFF) {
                throw FlywheelException.invalid("column name '" + name.substring(0, 40) + "...' is longer than 65535"
                        + " bytes; use a shorter name");
            }
            out.writeShort(bytes.length);
            out.writeBytes(bytes);
            out.writeByte(switch (table.column(name)) {
                case DoubleColumn d -> DOUBLE;
                case LongColumn l -> LONG;
                case StringColumn s -> STRING;
            });
        }
        for (String name : table.columnNames()) {
            switch (table.column(name)) {
                case DoubleColumn d -> out.writeDoubles(d.toArray());
                case LongColumn l -> out.writeLongs(l.toArray());
                case StringColumn s -> {
                    for (int r = 0; r < s.size(); r++) {
                        String v = s.get(r);
                        if (v == null) {
                            out.writeInt(-1);
                        } else {
                            byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
                            out.writeInt(bytes.length);
                            out.writeBytes(bytes);
                        }
                    }
                }
            }
        }
        out.flush();
    }

    @Override
    public Table read(InputStream stream, Class<? extends Table> type) throws IOException {
        LittleEndianInput in = new LittleEndianInput(stream, FORMAT);
        byte[] magic = in.readBytes(4, "the magic bytes");
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new FlywheelException(ErrorCode.INVALID_ARGUMENT, "not a " + FORMAT + " artifact: it starts with bytes "
                    + java.util.HexFormat.ofDelimiter(" ").formatHex(magic) + " instead of 'FWTB'; read it with the"
                    + " materializer of the format it was stored with");
        }
        int version = in.readShort("the version");
        if (version != VERSION) {
            throw new FlywheelException(ErrorCode.INVALID_ARGUMENT, "this " + FORMAT + " artifact has format version "
                    + version + " but this Flywheel reads version " + VERSION + "; use the Flywheel release that wrote it");
        }
        int columns = in.readInt("the column count");
        int rows = in.readInt("the row count");
        if (columns < 0 || rows < 0) {
            throw new FlywheelException(ErrorCode.INVALID_ARGUMENT, "corrupt " + FORMAT + " artifact: " + columns
                    + " columns, " + rows + " rows");
        }
        List<String> names = new ArrayList<>(columns);
        int[] types = new int[columns];
        for (int c = 0; c < columns; c++) {
            int length = in.readShort("the name of column " + (c + 1));
            names.add(new String(in.readBytes(length, "the name of column " + (c + 1)), StandardCharsets.UTF_8));
            types[c] = in.readByte("the type of column '" + names.get(c) + "'");
        }
        List<Column> out = new ArrayList<>(columns);
        for (int c = 0; c < columns; c++) {
            String what = "the values of column '" + names.get(c) + "'";
            out.add(switch (types[c]) {
                case DOUBLE -> {
                    double[] v = new double[rows];
                    in.readDoubles(v, what);
                    yield new DoubleColumn(v);
                }
                case LONG -> {
                    long[] v = new long[rows];
                    in.readLongs(v, what);
                    yield new LongColumn(v);
                }
                case STRING -> {
                    String[] v = new String[rows];
                    for (int r = 0; r < rows; r++) {
                        int length = in.readInt(what);
                        v[r] = length < 0 ? null : in.readString(length, what);
                    }
                    yield new StringColumn(v);
                }
                default -> throw new FlywheelException(ErrorCode.INVALID_ARGUMENT, "corrupt " + FORMAT + " artifact:"
                        + " column '" + names.get(c) + "' has unknown type code " + types[c]);
            });
        }
        return Table.of(names, out);
    }
}
