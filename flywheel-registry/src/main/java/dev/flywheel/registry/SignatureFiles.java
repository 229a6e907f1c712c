package dev.flywheel.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.registry.internal.RegistryJson;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.Feature;
import dev.flywheel.sdk.model.FeatureType;
import dev.flywheel.sdk.model.ModelSignature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Model signatures as JSON files, for importing models trained elsewhere:
 * <pre>{@code
 * {"inputs": [{"name": "temp", "type": "fp32"}, "hum"], "outputs": ["prediction"]}
 * }</pre>
 * A feature is an object ({@code name}, {@code type} defaulting to fp32, {@code nullable} defaulting to false) or just
 * its name (fp32). {@code outputs} may be left out: the model's output width then decides.
 */
public final class SignatureFiles {
    private SignatureFiles() {
    }

    /** @throws FlywheelException INVALID_ARGUMENT naming the file and the bad entry; NOT_FOUND for a missing file */
    public static ModelSignature read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw FlywheelException.notFound("Signature file " + file.toAbsolutePath() + " does not exist; check the path");
        } catch (IOException e) {
            throw FlywheelException.invalid("Signature file " + file.toAbsolutePath() + " cannot be read: " + e.getMessage());
        }
        JsonNode root;
        try {
            root = RegistryJson.mapper().readTree(text);
        } catch (IOException e) {
            throw FlywheelException.invalid("Signature file " + file + " is not valid JSON: " + e.getMessage().lines().findFirst().orElse("")
                    + "; expected {\"inputs\": [\"a\", \"b\"], \"outputs\": [\"prediction\"]}");
        }
        if (root == null || !root.isObject() || !root.has("inputs")) {
            throw FlywheelException.invalid("Signature file " + file + " must be a JSON object with \"inputs\" (and optionally \"outputs\"), "
                    + "for example {\"inputs\": [\"a\", \"b\"], \"outputs\": [\"prediction\"]}");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!field.equals("inputs") && !field.equals("outputs")) {
                throw FlywheelException.invalid("Signature file " + file + " has unknown field \"" + field + "\"; only \"inputs\" and \"outputs\" are allowed");
            }
        }
        try {
            return new ModelSignature(features(root.get("inputs"), file, "inputs"), features(root.get("outputs"), file, "outputs"));
        } catch (IllegalArgumentException e) {
            throw FlywheelException.invalid("Signature file " + file + ": " + e.getMessage());
        }
    }

    /** A signature of fp32 inputs named {@code features}, outputs left to the model. */
    public static ModelSignature ofFeatures(List<String> features) {
        try {
            return new ModelSignature(features.stream().map(String::trim).map(Feature::fp32).toList(), List.of());
        } catch (IllegalArgumentException e) {
            throw FlywheelException.invalid("Invalid feature list " + features + ": " + e.getMessage());
        }
    }

    private static List<Feature> features(JsonNode node, Path file, String side) {
        List<Feature> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw FlywheelException.invalid("Signature file " + file + ": \"" + side + "\" must be an array of feature names or objects");
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode f = node.get(i);
            String where = "Signature file " + file + ": " + side + "[" + i + "]";
            if (f.isTextual()) {
                out.add(Feature.fp32(f.asText()));
                continue;
            }
            if (!f.isObject() || !f.hasNonNull("name")) {
                throw FlywheelException.invalid(where + " must be a name or an object with \"name\" (and \"type\", \"nullable\")");
            }
            for (Iterator<String> it = f.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (!List.of("name", "type", "nullable").contains(field)) {
                    throw FlywheelException.invalid(where + " has unknown field \"" + field + "\"; use name, type, nullable");
                }
            }
            FeatureType type = FeatureType.FP32;
            if (f.hasNonNull("type")) {
                try {
                    type = FeatureType.valueOf(f.get("type").asText().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw FlywheelException.invalid(where + " has type \"" + f.get("type").asText() + "\"; use one of "
                            + List.of(FeatureType.values()).toString().toLowerCase(Locale.ROOT));
                }
            }
            out.add(new Feature(f.get("name").asText(), type, f.path("nullable").asBoolean(false)));
        }
        return out;
    }
}
