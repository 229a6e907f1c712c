package dev.flywheel.serving.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.ModelSignature;
import dev.flywheel.serving.ModelVersionSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;

/**
 * JSON for {@link ModelSignature} ({@code {"inputs": [{"name", "type", "nullable"}], "outputs": [...]}}) and for
 * {@link ModelVersionSpec} ({@code {"modelName", "version", "format", "modelFile", "signature", "sha256"}}; sha256
 * optional).
 */
public final class SpecJson {
    private static final Set<String> SPEC_KEYS = Set.of("modelName", "version", "format", "modelFile", "signature", "sha256");

    private SpecJson() {
    }

    public static ModelSignature readSignature(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw FlywheelException.invalid("signature file " + file.toAbsolutePath() + " does not exist");
        } catch (IOException e) {
            throw FlywheelException.invalid("cannot read signature file " + file.toAbsolutePath() + ": " + e.getMessage());
        }
        try {
            return signature(Json.parse(bytes));
        } catch (FlywheelException e) {
            throw FlywheelException.invalid("signature file " + file.toAbsolutePath() + ": " + e.getMessage());
        }
    }

    public static ModelSignature signature(JsonNode node) {
        try {
            ModelSignature sig = Json.MAPPER.treeToValue(node, ModelSignature.class);
            if (sig == null) {
                throw FlywheelException.invalid("signature is null; send {\"inputs\": [...], \"outputs\": [...]}");
            }
            return sig;
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw FlywheelException.invalid("invalid signature: " + cause.getMessage());
        } catch (JsonProcessingException e) {
            throw FlywheelException.invalid("invalid signature: " + e.getOriginalMessage()
                    + " (expected {\"inputs\": [{\"name\": \"temp\", \"type\": \"FP32\", \"nullable\": false}], \"outputs\": [...]})");
        }
    }

    public static byte[] writeSignature(ModelSignature sig) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(sig);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write signature", e);
        }
    }

    /** Parses a swap request; each problem names the field and the expected value. */
    public static ModelVersionSpec spec(byte[] body) {
        JsonNode root = Json.parse(body);
        if (!root.isObject()) {
            throw FlywheelException.invalid("swap body must be a JSON object with " + SPEC_KEYS);
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!SPEC_KEYS.contains(key)) {
                throw FlywheelException.invalid("unknown field '" + key + "' in swap body; expected " + SPEC_KEYS);
            }
        }
        String name = text(root, "modelName");
        JsonNode version = root.get("version");
        if (version == null || !version.canConvertToInt() || !version.isIntegralNumber()) {
            throw FlywheelException.invalid("'version' must be an integer >= 1, got " + version);
        }
        String format = text(root, "format");
        String file = text(root, "modelFile");
        JsonNode sig = root.get("signature");
        if (sig == null || !sig.isObject()) {
            throw FlywheelException.invalid("'signature' must be an object {\"inputs\": [...], \"outputs\": [...]}");
        }
        JsonNode sha = root.get("sha256");
        if (sha != null && !sha.isNull() && !sha.isTextual()) {
            throw FlywheelException.invalid("'sha256' must be the model file's sha256 as 64 hex digits");
        }
        try {
            return new ModelVersionSpec(name, version.intValue(), format, Path.of(file), signature(sig),
                    sha == null || sha.isNull() ? null : sha.textValue());
        } catch (IllegalArgumentException e) {
            throw FlywheelException.invalid(e.getMessage());
        }
    }

    private static String text(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || !v.isTextual() || v.textValue().isBlank()) {
            throw FlywheelException.invalid("'" + field + "' must be a non-empty string");
        }
        return v.textValue();
    }

    public static byte[] writeSpec(ModelVersionSpec spec) {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("modelName", spec.modelName());
            g.writeNumberField("version", spec.version());
            g.writeStringField("format", spec.format());
            g.writeStringField("modelFile", spec.modelFile().toString());
            if (spec.sha256() != null) {
                g.writeStringField("sha256", spec.sha256());
            }
            g.writeFieldName("signature");
            Json.MAPPER.writeTree(g, Json.MAPPER.valueToTree(spec.signature()));
            g.writeEndObject();
        });
    }
}
