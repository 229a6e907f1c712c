package dev.flywheel.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The API's JSON: records by their component names (as the CLI's {@code --json}), ISO-8601 times. */
public final class ApiJson {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .build();

    private ApiJson() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render " + value.getClass().getSimpleName() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** JSON to put inside an HTML {@code <script type="application/json">}: no {@code </script>} can end it early. */
    public static String forHtml(Object value) {
        return write(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
    }

    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }
}
