package dev.flywheel.store.materialize.internal;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.internal.ValueType;
import dev.flywheel.sdk.spi.Materializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * {@code list-v1}, {@code set-v1}, {@code map-v1}, {@code optional-v1}: a {@code List}, {@code Set},
 * {@code Map<String, V>} or {@code Optional} whose elements are each written by the materializer of the declared
 * element type, so containers hold anything Flywheel stores (numbers, records, tables, arrays, other containers).
 * Little-endian:
 * <pre>
 * "FWCT" | version u16 (=1) | kind u8 (1 list, 2 set, 3 map, 4 optional) |
 * element format: length u16 | UTF-8 (the format of every element, for example json-scalar) | count i32 |
 * per element, in iteration order: [map only: key length i32 (-1 = null) | key UTF-8] |
 *                                  value length i64 (-1 = null) | value bytes in the element format
 * </pre>
 * The element format is recorded so an artifact is read with the materializer that wrote its elements, even if
 * another materializer for that type is installed later. Read back as {@code ArrayList}, {@code LinkedHashSet},
 * {@code LinkedHashMap} (iteration order kept), {@code TreeSet}/{@code TreeMap} for sorted ones, or the declared
 * class itself when it is a concrete {@code java.util} collection.
 */
public final class ContainerMaterializer implements Materializer<Object> {
    private static final byte[] MAGIC = {'F', 'W', 'C', 'T'};
    private static final int VERSION = 1;

    private final ValueType.Container type;
    private final Materializer<Object> elements;
    private final BiFunction<String, ValueType, Materializer<?>> readers;

    /**
     * @param type     the container type, with its element type
     * @param elements the materializer that writes the elements (the one for the element type)
     * @param readers  finds the materializer that reads elements stored in a format as a type
     */
    @SuppressWarnings("unchecked")
    public ContainerMaterializer(ValueType.Container type, Materializer<?> elements, BiFunction<String, ValueType, Materializer<?>> readers) {
        this.type = Objects.requireNonNull(type, "type");
        this.elements = (Materializer<Object>) Objects.requireNonNull(elements, "elements");
        this.readers = Objects.requireNonNull(readers, "readers");
    }

    /** The format name of a container kind: {@code list-v1}, {@code set-v1}, {@code map-v1}, {@code optional-v1}. */
    public static String format(ValueType.Kind kind) {
        return switch (kind) {
            case LIST -> "list-v1";
            case SET -> "set-v1";
            case MAP -> "map-v1";
            case OPTIONAL -> "optional-v1";
        };
    }

    /** The container kind a format name stands for, if it is one of the container formats. */
    public static Optional<ValueType.Kind> kindOf(String format) {
        for (ValueType.Kind k : ValueType.Kind.values()) {
            if (format(k).equals(format)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    private static int code(ValueType.Kind kind) {
        return kind.ordinal() + 1;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Class<Object> type() {
        return (Class<Object>) type.raw();
    }

    @Override
    public String format() {
        return format(type.kind());
    }

    @Override
    public void write(Object value, OutputStream stream) throws IOException {
        Class<?> expected = switch (type.kind()) {
            case LIST -> List.class;
            case SET -> Set.class;
            case MAP -> Map.class;
            case OPTIONAL -> Optional.class;
        };
        if (!expected.isInstance(value)) {
            throw FlywheelException.invalid("a value declared as " + type.display() + " is a " + value.getClass().getName());
        }
        LittleEndianOutput out = new LittleEndianOutput(stream);
        out.writeBytes(MAGIC);
        out.writeShort(VERSION);
        out.writeByte(code(type.kind()));
        byte[] format = elements.format().getBytes(StandardCharsets.UTF_8);
        out.writeShort(format.length);
        out.writeBytes(format);
        Buffer buffer = new Buffer();
        switch (value) {
            case Map<?, ?> map -> {
                out.writeInt(map.size());
                int i = 0;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (e.getKey() != null && !(e.getKey() instanceof String)) {
                        throw FlywheelException.invalid("a value declared as " + type.display() + " has a key of type "
                                + e.getKey().getClass().getName() + "; stored maps have String keys");
                    }
                    writeString(out, (String) e.getKey());
                    writeElement(out, buffer, e.getValue(), i++);
                }
            }
            case Collection<?> c -> {
                out.writeInt(c.size());
                int i = 0;
                for (Object e : c) {
                    writeElement(out, buffer, e, i++);
                }
            }
            case Optional<?> o -> {
                out.writeInt(o.isPresent() ? 1 : 0);
                if (o.isPresent()) {
                    writeElement(out, buffer, o.get(), 0);
                }
            }
            default -> throw new IllegalStateException("unreachable: " + value.getClass());
        }
        out.flush();
    }

    private void writeElement(LittleEndianOutput out, Buffer buffer, Object element, int index) throws IOException {
        if (element == null) {
            out.writeLong(-1);
            return;
        }
        if (!type.element().raw().isInstance(element)) {
            throw FlywheelException.invalid("element " + index + " of a value declared as " + type.display() + " is a "
                    + element.getClass().getName() + ", not a " + type.element().display());
        }
        buffer.reset();
        elements.write(element, buffer);
        out.writeLong(buffer.size());
        out.writeBytes(buffer.array(), 0, buffer.size());
    }

    private static void writeString(LittleEndianOutput out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.writeBytes(bytes);
    }

    @Override
    public Object read(InputStream stream, Class<?> requested) throws IOException {
        LittleEndianInput in = new LittleEndianInput(stream, format());
        byte[] magic = in.readBytes(4, "the magic bytes");
        if (!Arrays.equals(magic, MAGIC)) {
            throw corrupt("it starts with bytes " + HexFormat.ofDelimiter(" ").formatHex(magic) + " instead of 'FWCT'");
        }
        int version = in.readShort("the version");
        if (version != VERSION) {
            throw new FlywheelException(ErrorCode.CORRUPT, "this " + format() + " artifact has format version " + version
                    + " but this Flywheel reads version " + VERSION + "; use the Flywheel release that wrote it");
        }
        int kind = in.readByte("the container kind");
        if (kind != code(type.kind())) {
            throw corrupt("it holds container kind " + kind + ", but " + type.display() + " is kind " + code(type.kind()));
        }
        String elementFormat = in.readString(in.readShort("the element format"), "the element format");
        @SuppressWarnings("unchecked")
        Materializer<Object> reader = (Materializer<Object>) readers.apply(elementFormat, type.element());
        int count = in.readInt("the element count");
        if (count < 0 || (type.kind() == ValueType.Kind.OPTIONAL && count > 1)) {
            throw corrupt("element count " + count);
        }
        return switch (type.kind()) {
            case LIST, SET -> {
                Collection<Object> out = newCollection(count);
                for (int i = 0; i < count; i++) {
                    out.add(readElement(in, reader, i));
                }
                yield out;
            }
            case MAP -> {
                Map<String, Object> out = newMap();
                for (int i = 0; i < count; i++) {
                    int length = in.readInt("the key of entry " + i);
                    String key = length < 0 ? null : in.readString(length, "the key of entry " + i);
                    out.put(key, readElement(in, reader, i));
                }
                yield out;
            }
            case OPTIONAL -> {
                if (count == 0) {
                    yield Optional.empty();
                }
                Object element = readElement(in, reader, 0);
                if (element == null) {
                    throw corrupt("an Optional holding null");
                }
                yield Optional.of(element);
            }
        };
    }

    private Object readElement(LittleEndianInput in, Materializer<Object> reader, int index) throws IOException {
        String what = "element " + index;
        long length = in.readLong("the length of " + what);
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > Integer.MAX_VALUE - 8) {
            throw corrupt(what + " has length " + length);
        }
        byte[] bytes = in.readBytes((int) length, what);
        Class<?> elementType = type.element().raw();
        Object element = reader.read(new ByteArrayInputStream(bytes), elementType.asSubclass(reader.type()));
        if (element != null && !elementType.isInstance(element)) {
            throw corrupt(what + " reads back as " + element.getClass().getName() + ", not " + type.element().display());
        }
        return element;
    }

    @SuppressWarnings("unchecked")
    private Collection<Object> newCollection(int count) {
        Class<?> raw = type.raw();
        if (raw == List.class) {
            return new ArrayList<>(Math.min(count, 1 << 16));
        }
        if (raw == Set.class) {
            return new LinkedHashSet<>();
        }
        if (SortedSet.class.isAssignableFrom(raw) && raw.isInterface()) {
            return new TreeSet<>();
        }
        return (Collection<Object>) instantiate(raw);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> newMap() {
        Class<?> raw = type.raw();
        if (raw == Map.class) {
            return new LinkedHashMap<>();
        }
        if (SortedMap.class.isAssignableFrom(raw) && raw.isInterface()) {
            return new TreeMap<>();
        }
        return (Map<String, Object>) instantiate(raw);
    }

    private static Object instantiate(Class<?> raw) {
        try {
            return raw.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new FlywheelException(ErrorCode.INTERNAL, "cannot create a " + raw.getName() + ": " + e, e);
        }
    }

    private FlywheelException corrupt(String detail) {
        return new FlywheelException(ErrorCode.CORRUPT, "corrupt " + format() + " artifact (" + type.display() + "): " + detail);
    }

    @Override
    public String toString() {
        return "ContainerMaterializer[" + type.display() + " of " + elements.format() + "]";
    }

    /** A reusable buffer whose bytes are written out without a copy. */
    private static final class Buffer extends ByteArrayOutputStream {
        byte[] array() {
            return buf;
        }
    }
}
