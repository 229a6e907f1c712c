package dev.flywheel.store.materialize.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.sdk.spi.Materializer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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

    @Override
    public void write(T value, OutputStream out) throws IOException {
        mapper.writeValue(out, value);
    }

    @Override
    public T read(InputStream in, Class<? extends T> requested) throws IOException {
        return mapper.readValue(in, requested);
    }

    @Override
    public String toString() {
        return "ScalarMaterializer[" + type.getSimpleName() + "]";
    }
}
