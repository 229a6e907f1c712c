package dev.flywheel.serving.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.flywheel.serving.api.JsonBody;

import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON reading and writing for the request path: a light tree in, a streaming generator out. */
public final class Json {
    /** Immutable once built and thread-safe; NaN is accepted so that we can say which feature may not be NaN. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    /** Parses a request body; malformed JSON is a 400 that says where the parser stopped. */
    static JsonNode parse(byte[] body) {
        return JsonBody.parse(MAPPER, body);
    }

    /** Writes a document with {@code body} and returns its bytes. */
    public static byte[] write(Writer body) {
        ByteArrayBuilder out = new ByteArrayBuilder(256);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] error(String message) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeEndObject();
        });
    }

    @FunctionalInterface
    public interface Writer {
        void write(JsonGenerator g) throws IOException;
    }
}
