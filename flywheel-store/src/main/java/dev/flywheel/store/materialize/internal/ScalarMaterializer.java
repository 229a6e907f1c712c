package dev.flywheel.store.materialize.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.sdk.spi.Materializer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * {@code json-scalar}: one boxed primitive as a JSON value ({@code 42}, {@code 0.5}, {@code true}, {@code "x"};
 * NaN and infinities as the strings {@code "NaN"}, {@code "Infinity"}). One instance per boxed type; they share
 * the format because the stored type says which box to read into.
 */
public final class ScalarMaterializer<T> implements Materializer<T> {
    public static final String FORMAT = "json-scalar";

    private final Class<T> type;
    private final ObjectMapper mapper = JsonMapping.create();

    private ScalarMaterializer(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    /** One materializer for each boxed primitive type. */
    public static List<Materializer<?>> all() {
        return List.of(new ScalarMaterializer<>(Integer.class), new ScalarMaterializer<>(Long.class),
                new ScalarMaterializer<>(Double.class), new ScalarMaterializer<>(Float.class),
                new ScalarMaterializer<>(Boolean.class), new ScalarMaterializer<>(Short.class),
                new ScalarMaterializer<>(Byte.class), new ScalarMaterializer<>(Character.class));
    }

    @Override
    public Class<T> type() {
        return type;
    }

    @Override
    public String format() {
        return FORMAT;
    }

    /**
     * Numbers and booleans are written as their plain JSON text without Jackson (the same JSON value, a fraction of
     * the cost, which matters for the elements of a {@code List<Double>}); characters and non-finite numbers, which
     * JSON writes as strings, go through Jackson.
     */
    @Override
    public void write(T value, OutputStream out) throws IOException {
        String plain = switch (value) {
            case Double d when Double.isFinite(d) -> Double.toString(d);
            case Float f when Float.isFinite(f) -> Float.toString(f);
            case Integer i -> Integer.toString(i);
            case Long l -> Long.toString(l);
            case Short s -> Short.toString(s);
            case Byte b -> Byte.toString(b);
            case Boolean b -> b.toString();
            default -> null;
        };
        if (plain == null) {
            mapper.writeValue(out, value);
        } else {
            out.write(plain.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** Plain numbers and booleans are parsed directly; anything else (a quoted NaN, a character) by Jackson. */
    @Override
    public T read(InputStream in, Class<? extends T> requested) throws IOException {
        byte[] bytes = in.readAllBytes();
        Object fast = plain(new String(bytes, StandardCharsets.US_ASCII), requested);
        return fast != null ? requested.cast(fast) : mapper.readValue(bytes, requested);
    }

    private static Object plain(String text, Class<?> requested) {
        if (text.isEmpty() || text.charAt(0) == '"' || text.charAt(0) == ' ') {
            return null;
        }
        try {
            if (requested == Double.class) {
                return Double.valueOf(text);
            } else if (requested == Float.class) {
                return Float.valueOf(text);
            } else if (requested == Integer.class) {
                return Integer.valueOf(text);
            } else if (requested == Long.class) {
                return Long.valueOf(text);
            } else if (requested == Short.class) {
                return Short.valueOf(text);
            } else if (requested == Byte.class) {
                return Byte.valueOf(text);
            } else if (requested == Boolean.class && (text.equals("true") || text.equals("false"))) {
                return Boolean.valueOf(text);
            }
        } catch (NumberFormatException notPlainJava) {
            return null; // JSON Jackson reads but Java does not (1.0 for an int, 1e2 for a long): let Jackson decide
        }
        return null;
    }

    @Override
    public String toString() {
        return "ScalarMaterializer[" + type.getSimpleName() + "]";
    }
}
