package dev.flywheel.registry.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.ModelSignature;

/** The registry's JSON: signatures in the metadata store and provenance files. */
public final class RegistryJson {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private RegistryJson() {
    }

    public static String signature(ModelSignature signature) {
        try {
            return MAPPER.writeValueAsString(signature);
        } catch (JsonProcessingException e) {
            throw new FlywheelException(ErrorCode.INTERNAL, "Cannot write model signature as JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static ModelSignature signature(String json, String where) {
        try {
            return MAPPER.readValue(json, ModelSignature.class);
        } catch (JsonProcessingException e) {
            throw new FlywheelException(ErrorCode.INTERNAL, "The stored signature of " + where + " is not readable: " + e.getOriginalMessage(), e);
        }
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
