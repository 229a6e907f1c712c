package dev.flywheel.schedule.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.util.Map;

/** The JSON form of what the schedule tables keep: ISO times and durations, unknown fields rejected. */
public final class StoreJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .build();

    private StoreJson() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new FlywheelException(ErrorCode.INTERNAL, "Cannot write " + value.getClass().getSimpleName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    public static <T> T read(String json, Class<T> type, String where) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            // a value our own records refuse (an interval too long) says so in its own words, not Jackson's
            String why = e.getOriginalMessage();
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof FlywheelException f) {
                    why = f.getMessage();
                    break;
                }
            }
            throw new FlywheelException(ErrorCode.INTERNAL, "Stored " + where + " is not a valid " + type.getSimpleName()
                    + ": " + why, e);
        }
    }

    public static Map<String, String> readParams(String json) {
        try {
            return MAPPER.readValue(json, new TypeReference<Map<String, String>>() {
            });
        } catch (JsonProcessingException e) {
            throw new FlywheelException(ErrorCode.INTERNAL, "Stored parameters are not a JSON object of strings: "
                    + e.getOriginalMessage(), e);
        }
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
