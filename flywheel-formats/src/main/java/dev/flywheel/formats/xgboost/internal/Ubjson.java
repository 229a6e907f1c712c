package dev.flywheel.formats.xgboost.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a whole UBJSON document (Draft 12, as XGBoost writes its {@code .ubj} models) into plain Java values:
 * objects are {@code Map<String, Object>}, arrays {@code List<Object>}, integers {@code Long}, floats
 * {@code Double}, strings, booleans and {@code null}. Strongly typed arrays ({@code [$d#L<n>...}, XGBoost's
 * node arrays) are read in bulk into {@code float[]} (float32), {@code double[]}, {@code int[]} (int8, uint8,
 * int16, int32) or {@code long[]} (int64). Numbers are big-endian.
 *
 * <p>Every length is checked against the bytes left before anything is allocated, containers nest at most
 * {@value #MAX_DEPTH} deep, and the document must end exactly at the last byte; anything else throws
 * {@link MalformedModel} naming the byte offset. So a document this reader accepts is complete.
 */
final class Ubjson {
    static final int MAX_DEPTH = 64;
    /** Elements of a typed array of null/true/false take no bytes; bound them so a bad count cannot exhaust memory. */
    private static final long MAX_EMPTY_ELEMENTS = 1 << 20;

    private final byte[] in;
    private int pos;

    private Ubjson(byte[] in) {
        this.in = in;
    }

    static Object read(byte[] content) {
        Ubjson r = new Ubjson(content);
        Object document = r.value(r.marker("the document"), 0);
        if (r.pos != content.length) {
            throw new MalformedModel("the document ends at byte " + r.pos + " of " + content.length + " but "
                    + (content.length - r.pos) + " more bytes follow");
        }
        return document;
    }

    /** The next type marker, skipping the no-op marker {@code N} the spec allows between values. */
    private byte marker(String what) {
        byte m;
        do {
            need(1, what);
            m = in[pos++];
        } while (m == 'N');
        return m;
    }

    private Object value(byte marker, int depth) {
        return switch (marker) {
            case 'Z' -> null;
            case 'T' -> Boolean.TRUE;
            case 'F' -> Boolean.FALSE;
            case 'i', 'U', 'I', 'l', 'L' -> integer(marker);
            case 'd' -> {
                need(4, "a float32");
                float f = Float.intBitsToFloat(int32(pos));
                pos += 4;
                yield (double) f;
            }
            case 'D' -> {
                need(8, "a float64");
                double d = Double.longBitsToDouble(int64(pos));
                pos += 8;
                yield d;
            }
            case 'C' -> {
                need(1, "a char");
                yield String.valueOf((char) (in[pos++] & 0xff));
            }
            case 'S', 'H' -> string(marker == 'S' ? "a string" : "a high-precision number");
            case '[' -> array(depth + 1);
            case '{' -> object(depth + 1);
            default -> throw new MalformedModel("unknown type marker " + describe(marker) + " at byte " + (pos - 1));
        };
    }

    private long integer(byte marker) {
        int size = sizeOf(marker);
        need(size, "an " + typeName(marker));
        long v = switch (marker) {
            case 'i' -> in[pos];
            case 'U' -> in[pos] & 0xff;
            case 'I' -> (short) (((in[pos] & 0xff) << 8) | (in[pos + 1] & 0xff));
            case 'l' -> int32(pos);
            default -> int64(pos);
        };
        pos += size;
        return v;
    }

    /** A count or string length: an integer marker and a non-negative value. */
    private long length(String what) {
        int at = pos;
        byte m = marker(what);
        if (m != 'i' && m != 'U' && m != 'I' && m != 'l' && m != 'L') {
            throw new MalformedModel(what + " at byte " + at + " has marker " + describe(m)
                    + ", expected an integer marker (i, U, I, l or L)");
        }
        long n = integer(m);
        if (n < 0) {
            throw new MalformedModel(what + " at byte " + at + " is negative (" + n + ")");
        }
        return n;
    }

    private String string(String what) {
        long n = length("the length of " + what);
        need(n, what + " of " + n + " bytes");
        String s = new String(in, pos, (int) n, StandardCharsets.UTF_8);
        pos += (int) n;
        return s;
    }

    /** A container's optional {@code $type} and {@code #count}; type 0 = mixed, count -1 = ends with a marker. */
    private record Header(byte type, long count) {
    }

    private Header header(int start, String kind, int depth) {
        if (depth > MAX_DEPTH) {
            throw new MalformedModel(kind + " at byte " + start + " nests deeper than " + MAX_DEPTH + " containers");
        }
        byte type = 0;
        if (pos < in.length && in[pos] == '$') {
            pos++;
            need(1, "the element type of the " + kind + " at byte " + start);
            type = in[pos++];
            if (sizeOf(type) < 0 && type != 'S' && type != 'H' && type != '[' && type != '{') {
                throw new MalformedModel(kind + " at byte " + start + " has element type " + describe(type)
                        + ", which is not a UBJSON type");
            }
            if (pos >= in.length || in[pos] != '#') {
                throw new MalformedModel(kind + " at byte " + start + " has an element type but no '#' count"
                        + (pos >= in.length ? " (truncated at byte " + pos + " of " + in.length + ")" : ""));
            }
        }
        long count = -1;
        if (pos < in.length && in[pos] == '#') {
            pos++;
            count = length("the element count of the " + kind + " at byte " + start);
            if (count > Integer.MAX_VALUE - 8) {
                throw new MalformedModel(kind + " at byte " + start + " claims " + count + " elements");
            }
        }
        return new Header(type, count);
    }

    private Object array(int depth) {
        int start = pos - 1;
        Header h = header(start, "array", depth);
        if (h.type != 0) {
            return typedArray(h.type, (int) h.count, depth);
        }
        if (h.count >= 0) {
            // Every element takes at least its marker byte.
            need(h.count, "array of " + h.count + " values");
            List<Object> list = new ArrayList<>((int) h.count);
            for (long i = 0; i < h.count; i++) {
                list.add(value(marker("element " + i + " of the array at byte " + start), depth));
            }
            return list;
        }
        List<Object> list = new ArrayList<>();
        while (true) {
            byte m = marker("the array at byte " + start + " (no ']')");
            if (m == ']') {
                return list;
            }
            list.add(value(m, depth));
        }
    }

    private Object typedArray(byte type, int n, int depth) {
        int size = sizeOf(type);
        if (size > 0) {
            need((long) n * size, "array of " + n + " " + typeName(type) + " needs " + (long) n * size + " bytes");
            ByteBuffer bytes = ByteBuffer.wrap(in, pos, n * size).order(ByteOrder.BIG_ENDIAN);
            Object out = switch (type) {
                case 'd' -> {
                    float[] a = new float[n];
                    bytes.asFloatBuffer().get(a);
                    yield a;
                }
                case 'D' -> {
                    double[] a = new double[n];
                    bytes.asDoubleBuffer().get(a);
                    yield a;
                }
                case 'l' -> {
                    int[] a = new int[n];
                    bytes.asIntBuffer().get(a);
                    yield a;
                }
                case 'L' -> {
                    long[] a = new long[n];
                    bytes.asLongBuffer().get(a);
                    yield a;
                }
                case 'I' -> {
                    int[] a = new int[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = bytes.getShort(pos + 2 * i);
                    }
                    yield a;
                }
                case 'i' -> {
                    int[] a = new int[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = in[pos + i];
                    }
                    yield a;
                }
                case 'U' -> {
                    int[] a = new int[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = in[pos + i] & 0xff;
                    }
                    yield a;
                }
                case 'C' -> new String(in, pos, n, StandardCharsets.ISO_8859_1);
                default -> throw new IllegalStateException("size table and switch disagree on " + describe(type));
            };
            pos += n * size;
            return out;
        }
        if (size == 0) {
            if (n > MAX_EMPTY_ELEMENTS) {
                throw new MalformedModel("array of " + n + " " + typeName(type) + " before byte " + pos
                        + " is implausibly long (more than " + MAX_EMPTY_ELEMENTS + ")");
            }
            return Collections.nCopies(n, value(type, depth));
        }
        need(n, "array of " + n + " " + typeName(type));
        List<Object> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(value(type, depth));
        }
        return list;
    }

    private Map<String, Object> object(int depth) {
        int start = pos - 1;
        Header h = header(start, "object", depth);
        Map<String, Object> map = new LinkedHashMap<>();
        if (h.count >= 0) {
            // A key takes at least a length marker and one length byte.
            need(h.count * (h.type == 0 ? 3 : 2), "object of " + h.count + " entries");
            for (long i = 0; i < h.count; i++) {
                String key = string("key " + i + " of the object at byte " + start);
                map.put(key, value(h.type != 0 ? h.type : marker("the value of '" + key + "'"), depth));
            }
            return map;
        }
        while (true) {
            need(1, "the object at byte " + start + " (no '}')");
            while (in[pos] == 'N') {
                pos++;
                need(1, "the object at byte " + start + " (no '}')");
            }
            if (in[pos] == '}') {
                pos++;
                return map;
            }
            String key = string("a key of the object at byte " + start);
            map.put(key, value(marker("the value of '" + key + "'"), depth));
        }
    }

    private void need(long bytes, String what) {
        if (bytes > in.length - pos) {
            throw new MalformedModel("truncated at byte " + pos + " of " + in.length + ": " + what
                    + (what.contains(" needs ") ? "" : " needs " + bytes + (bytes == 1 ? " byte" : " bytes")));
        }
    }

    private int int32(int at) {
        return ((in[at] & 0xff) << 24) | ((in[at + 1] & 0xff) << 16) | ((in[at + 2] & 0xff) << 8) | (in[at + 3] & 0xff);
    }

    private long int64(int at) {
        return ((long) int32(at) << 32) | (int32(at + 4) & 0xffffffffL);
    }

    /** Payload bytes of one value of a fixed-size type; 0 for null/true/false/no-op; -1 for others. */
    private static int sizeOf(byte type) {
        return switch (type) {
            case 'i', 'U', 'C' -> 1;
            case 'I' -> 2;
            case 'l', 'd' -> 4;
            case 'L', 'D' -> 8;
            case 'Z', 'T', 'F' -> 0;
            default -> -1;
        };
    }

    private static String typeName(byte type) {
        return switch (type) {
            case 'i' -> "int8";
            case 'U' -> "uint8";
            case 'I' -> "int16";
            case 'l' -> "int32";
            case 'L' -> "int64";
            case 'd' -> "float32";
            case 'D' -> "float64";
            case 'C' -> "char";
            case 'S' -> "string";
            case 'H' -> "high-precision number";
            case 'Z' -> "null";
            case 'T', 'F' -> "boolean";
            case '[' -> "array";
            case '{' -> "object";
            default -> describe(type);
        };
    }

    private static String describe(byte b) {
        return b >= 0x21 && b < 0x7f ? "'" + (char) b + "' (0x" + Integer.toHexString(b) + ")"
                : "0x" + String.format("%02x", b & 0xff);
    }
}
