package dev.flywheel.client;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named, typed tensor of the Open Inference Protocol v2: element type, shape and data in row-major order. Immutable
 * (arrays are copied in and out). Values are held in the Java type of their element type: {@code float} for FP32 and
 * FP16, {@code double} for FP64, {@code long} for the integer types, {@code boolean} for BOOL, {@code String} for
 * BYTES.
 *
 * <pre>{@code
 * Tensor x = Tensor.fp32("features", new float[][]{{1, 0, 3.5f}, {0, 1, 2.0f}});   // shape [2, 3]
 * Tensor hour = Tensor.int64("hour", new long[]{2}, 8, 17);
 * }</pre>
 */
public final class Tensor {
    private final String name;
    private final Datatype datatype;
    private final long[] shape;
    private final Object data;

    private Tensor(String name, Datatype datatype, long[] shape, Object data, int length) {
        this.name = Objects.requireNonNull(name, "name");
        this.datatype = Objects.requireNonNull(datatype, "datatype");
        this.shape = shape.clone();
        this.data = data;
        long size = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape)
                        + " has a negative dimension; a tensor with data has a concrete shape");
            }
            size = Math.multiplyExact(size, d);
        }
        if (size != length) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " holds " + size
                    + " values, the data has " + length);
        }
    }

    public static Tensor fp32(String name, long[] shape, float... data) {
        return new Tensor(name, Datatype.FP32, shape, data.clone(), data.length);
    }

    /** One FP32 tensor of shape [rows, columns] from rows of equal length. */
    public static Tensor fp32(String name, float[][] rows) {
        int columns = rows.length == 0 ? 0 : rows[0].length;
        float[] flat = new float[rows.length * columns];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != columns) {
                throw new IllegalArgumentException("tensor '" + name + "': row " + r + " has " + rows[r].length + " values, row 0 has " + columns);
            }
            System.arraycopy(rows[r], 0, flat, r * columns, columns);
        }
        return new Tensor(name, Datatype.FP32, new long[]{rows.length, columns}, flat, flat.length);
    }

    public static Tensor fp64(String name, long[] shape, double... data) {
        return new Tensor(name, Datatype.FP64, shape, data.clone(), data.length);
    }

    public static Tensor int64(String name, long[] shape, long... data) {
        return new Tensor(name, Datatype.INT64, shape, data.clone(), data.length);
    }

    public static Tensor int32(String name, long[] shape, int... data) {
        return new Tensor(name, Datatype.INT32, shape, Arrays.stream(data).asLongStream().toArray(), data.length);
    }

    public static Tensor bool(String name, long[] shape, boolean... data) {
        return new Tensor(name, Datatype.BOOL, shape, data.clone(), data.length);
    }

    public static Tensor bytes(String name, long[] shape, String... data) {
        return new Tensor(name, Datatype.BYTES, shape, data.clone(), data.length);
    }

    /**
     * A tensor of any element type from values already in its Java type ({@code float[]} for FP32/FP16,
     * {@code double[]} for FP64, {@code long[]} for integers, {@code boolean[]}, {@code String[]}); used when decoding.
     */
    public static Tensor of(String name, Datatype datatype, long[] shape, Object data) {
        return switch (datatype) {
            case FP32, FP16 -> new Tensor(name, datatype, shape, ((float[]) data).clone(), ((float[]) data).length);
            case FP64 -> new Tensor(name, datatype, shape, ((double[]) data).clone(), ((double[]) data).length);
            case UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64 -> new Tensor(name, datatype, shape, ((long[]) data).clone(), ((long[]) data).length);
            case BOOL -> new Tensor(name, datatype, shape, ((boolean[]) data).clone(), ((boolean[]) data).length);
            case BYTES -> new Tensor(name, datatype, shape, ((String[]) data).clone(), ((String[]) data).length);
        };
    }

    public String name() {
        return name;
    }

    public Datatype datatype() {
        return datatype;
    }

    public long[] shape() {
        return shape.clone();
    }

    /** The number of values (the product of the shape). */
    public int size() {
        return switch (data) {
            case float[] f -> f.length;
            case double[] d -> d.length;
            case long[] l -> l.length;
            case boolean[] b -> b.length;
            case String[] s -> s.length;
            default -> throw new IllegalStateException("unexpected data " + data.getClass());
        };
    }

    /** The values as floats: FP32/FP16 as they are, other numbers converted. */
    public float[] floats() {
        return switch (data) {
            case float[] f -> f.clone();
            case double[] d -> {
                float[] out = new float[d.length];
                for (int i = 0; i < d.length; i++) {
                    out[i] = (float) d[i];
                }
                yield out;
            }
            case long[] l -> {
                float[] out = new float[l.length];
                for (int i = 0; i < l.length; i++) {
                    out[i] = l[i];
                }
                yield out;
            }
            default -> throw notNumeric("floats");
        };
    }

    /** The values as doubles: any numeric element type. */
    public double[] doubles() {
        return switch (data) {
            case float[] f -> {
                double[] out = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    out[i] = f[i];
                }
                yield out;
            }
            case double[] d -> d.clone();
            case long[] l -> Arrays.stream(l).asDoubleStream().toArray();
            default -> throw notNumeric("doubles");
        };
    }

    /** The values of an integer tensor. */
    public long[] longs() {
        if (data instanceof long[] l) {
            return l.clone();
        }
        throw new IllegalStateException("tensor '" + name + "' is " + datatype + ", not an integer type");
    }

    public boolean[] booleans() {
        if (data instanceof boolean[] b) {
            return b.clone();
        }
        throw new IllegalStateException("tensor '" + name + "' is " + datatype + ", not BOOL");
    }

    public String[] strings() {
        if (data instanceof String[] s) {
            return s.clone();
        }
        throw new IllegalStateException("tensor '" + name + "' is " + datatype + ", not BYTES");
    }

    private IllegalStateException notNumeric(String what) {
        return new IllegalStateException("tensor '" + name + "' is " + datatype + ": no " + what);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && name.equals(t.name) && datatype == t.datatype && Arrays.equals(shape, t.shape)
                && Objects.deepEquals(data, t.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, datatype, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return "Tensor[" + name + " " + datatype + " " + Arrays.toString(shape) + "]";
    }
}
