package dev.flywheel.store.materialize.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.sdk.spi.Materializer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * {@code json}: records, enums and POJOs as JSON (Jackson, fields as properties, java.time as ISO-8601 text).
 * The lookup uses it only as the fallback for types it judges JSON-friendly, although it accepts any object.
 */
public final class JsonMaterializer implements Materializer<Object> {
    public static final String FORMAT = "json";

    private final ObjectMapper mapper = JsonMapping.create();

    @Override
    public Class<Object> type() {
        return Object.class;
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public void write(Object value, OutputStream out) throws IOException {
        mapper.writeValue(out, value);
    }

    @Override
    public Object read(InputStream in, Class<?> type) throws IOException {
        return mapper.readValue(in, type);
    }
}
