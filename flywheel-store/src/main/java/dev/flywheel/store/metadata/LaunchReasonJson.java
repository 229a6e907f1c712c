package dev.flywheel.store.metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.LaunchReason;

/**
 * The one JSON form of a {@link LaunchReason} ({@code {"kind": "webhook", "deliveryId": "..."}}, ISO times), as the
 * runs table stores it and as the scheduler hands it to the run it launches.
 */
public final class LaunchReasonJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private LaunchReasonJson() {
    }

    public static String write(LaunchReason reason) {
        try {
            return MAPPER.writeValueAsString(reason);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write launch reason " + reason, e);
        }
    }

    /**
     * Reads a launch reason.
     *
     * @throws FlywheelException INVALID_ARGUMENT saying what is wrong and which kinds exist
     */
    public static LaunchReason read(String json) {
        try {
            LaunchReason reason = MAPPER.readValue(json, LaunchReason.class);
            if (reason == null) {
                throw FlywheelException.invalid("launch reason is null");
            }
            return reason;
        } catch (JsonProcessingException e) {
            throw FlywheelException.invalid("not a launch reason: " + e.getOriginalMessage() + " (expected JSON such as "
                    + "{\"kind\": \"manual\"}; kinds: scheduled, new_files, new_rows, webhook, upstream_run, manual)");
        }
    }
}
