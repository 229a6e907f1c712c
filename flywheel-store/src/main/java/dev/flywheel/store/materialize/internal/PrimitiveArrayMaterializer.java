package dev.flywheel.store.materialize.internal;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.spi.Materializer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * {@code array-v1}: a primitive array (other than {@code byte[]}, which is {@code bytes}) in bulk, little-endian:
 * <pre>
 * "FWAR" | version u16 (=1) | element u8 (1 double, 2 float, 3 long, 4 int, 5 boolean, 6 short, 7 char) |
 * length i32 | length x element (f64 | f32 | i64 | i32 | u8 0/1 | i16 | u16 UTF-16 unit)
 * </pre>
 * Values are copied bit for bit, so NaN payloads and -0.0 survive. One instance per array type; they share the
 * format because the recorded type says which array to read, and the element code is checked against it.
 */
public final class PrimitiveArrayMaterializer<T> implements Materializer<T> {
    public static final String FORMAT = "array-v1";
    private static final byte[] MAGIC = {'F', 'W', 'A', 'R'};
    private static final int VERSION = 1;

    private final Class<T> type;
    private final int code;

    private PrimitiveArrayMaterializer(Class<T> type, int code) {
        this.type = Objects.requireNonNull(type, "type");
        this.code = code;
    }

    /** One materializer for each supported primitive array type. */
    public static List<Materializer<?>> all() {
        return List.of(new PrimitiveArrayMaterializer<>(double[].class, 1), new PrimitiveArrayMaterializer<>(float[].class, 2),
                new PrimitiveArrayMaterializer<>(long[].class, 3), new PrimitiveArrayMaterializer<>(int[].class, 4),
                new PrimitiveArrayMaterializer<>(boolean[].class, 5), new PrimitiveArrayMaterializer<>(short[].class, 6),
                new PrimitiveArrayMaterializer<>(char[].class, 7));
    }

    @Override
    public Class<T> type() {
        return type;
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public void write(T value, OutputStream stream) throws IOException {
        LittleEndianOutput out = new LittleEndianOutput(stream);
        out.writeBytes(MAGIC);
        out.writeShort(VERSION);
        out.writeByte(code);
        switch (value) {
            case double[] a -> {
                out.writeInt(a.length);
                out.writeDoubles(a);
            }
            case float[] a -> {
                out.writeInt(a.length);
                out.writeFloats(a);
            }
            case long[] a -> {
                out.writeInt(a.length);
                out.writeLongs(a);
            }
            case int[] a -> {
                out.writeInt(a.length);
                out.writeInts(a);
            }
            case boolean[] a -> {
                out.writeInt(a.length);
                byte[] bytes = new byte[a.length];
                for (int i = 0; i < a.length; i++) {
                    bytes[i] = (byte) (a[i] ? 1 : 0);
                }
                out.writeBytes(bytes);
            }
            case short[] a -> {
                out.writeInt(a.length);
                out.writeShorts(a);
            }
            case char[] a -> {
                out.writeInt(a.length);
                out.writeChars(a);
            }
            default -> throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + value.getClass().getName());
        }
        out.flush();
    }

    @Override
    public T read(InputStream stream, Class<? extends T> requested) throws IOException {
        LittleEndianInput in = new LittleEndianInput(stream, FORMAT);
        byte[] magic = in.readBytes(4, "the magic bytes");
        if (!Arrays.equals(magic, MAGIC)) {
            throw corrupt("it starts with bytes " + HexFormat.ofDelimiter(" ").formatHex(magic) + " instead of 'FWAR'");
        }
        int version = in.readShort("the version");
        if (version != VERSION) {
            throw new FlywheelException(ErrorCode.CORRUPT, "this " + FORMAT + " artifact has format version " + version
                    + " but this Flywheel reads version " + VERSION + "; use the Flywheel release that wrote it");
        }
        int stored = in.readByte("the element type");
        if (stored != code) {
            throw corrupt("it holds element type code " + stored + ", but " + type.getSimpleName() + " is code " + code);
        }
        int length = in.readInt("the length");
        if (length < 0) {
            throw corrupt("length " + length);
        }
        String what = "the " + length + " elements";
        Object out = switch (code) {
            case 1 -> {
                double[] a = new double[length];
                in.readDoubles(a, what);
                yield a;
            }
            case 2 -> {
                float[] a = new float[length];
                in.readFloats(a, what);
                yield a;
            }
            case 3 -> {
                long[] a = new long[length];
                in.readLongs(a, what);
                yield a;
            }
            case 4 -> {
                int[] a = new int[length];
                in.readInts(a, what);
                yield a;
            }
            case 5 -> {
                byte[] bytes = in.readBytes(length, what);
                boolean[] a = new boolean[length];
                for (int i = 0; i < length; i++) {
                    a[i] = bytes[i] != 0;
                }
                yield a;
            }
            case 6 -> {
                short[] a = new short[length];
                in.readShorts(a, what);
                yield a;
            }
            case 7 -> {
                char[] a = new char[length];
                in.readChars(a, what);
                yield a;
            }
            default -> throw new IllegalStateException("element code " + code);
        };
        return type.cast(out);
    }

    private static FlywheelException corrupt(String detail) {
        return new FlywheelException(ErrorCode.CORRUPT, "corrupt " + FORMAT + " artifact: " + detail);
    }

    @Override
    public String toString() {
        return "PrimitiveArrayMaterializer[" + type.getSimpleName() + "]";
    }
}
