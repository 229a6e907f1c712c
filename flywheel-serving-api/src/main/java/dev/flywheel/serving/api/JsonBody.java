package dev.flywheel.serving.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.sdk.FlywheelException;

import java.io.IOException;
import java.io.UncheckedIOException;

/** A JSON document sent to the server (a request body, a signature file) read into a tree, with one set of errors. */
public final class JsonBody {
    private JsonBody() {
    }

    /**
     * Parses {@code body} with {@code mapper}.
     *
     * @throws FlywheelException INVALID_ARGUMENT for an empty body, or malformed JSON saying where the parser stopped
     */
    public static JsonNode parse(ObjectMapper mapper, byte[] body) {
        if (body.length == 0) {
            throw FlywheelException.invalid("request body is empty; send a JSON object");
        }
        try {
            JsonNode node = mapper.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw FlywheelException.invalid("request body is empty; send a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw FlywheelException.invalid("malformed JSON" + (loc == null ? "" : " at line " + loc.getLineNr()
                    + ", column " + loc.getColumnNr()) + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
