package dev.flywheel.registry.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.flywheel.registry.DataArtifact;
import dev.flywheel.registry.Lineage;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.ModelSignature;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The {@code provenance.json} written beside every model file (after Tribuo): what the model is, the data it was made
 * from with hashes, the step's config and code hash, the run, the time, and the platform, because the same training
 * can give different floating-point results on another JVM, OS or CPU.
 */
public final class Provenance {
    private static final String FLYWHEEL_VERSION = flywheelVersion();

    private Provenance() {
    }

    /**
     * @param stepClass  the producing step's class, null for an import
     * @param configJson the producing step's config as stored with the run, null for none
     */
    public static byte[] json(String model, String format, String sha256, long size, ModelSignature signature, Map<String, Double> metrics,
                              Lineage lineage, String stepClass, String configJson, Instant at, String actor) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("provenanceVersion", 1);
        doc.put("model", model);
        doc.put("format", format);
        doc.put("modelFile", Map.of("sha256", sha256, "size", size));
        doc.put("signature", signature);
        doc.put("metrics", metrics);
        Map<String, Object> source = new LinkedHashMap<>();
        List<DataArtifact> data = List.of();
        switch (lineage) {
            case Lineage.FromRun r -> {
                source.put("kind", "run");
                source.put("pipeline", r.pipeline());
                source.put("runId", r.runId());
                source.put("step", r.step());
                source.put("stepRunId", r.stepRunId());
                source.put("stepClass", stepClass);
                source.put("codeHash", r.codeHash());
                source.put("config", config(configJson));
                data = r.data();
            }
            case Lineage.Imported i -> {
                source.put("kind", "import");
                source.put("file", i.file());
            }
        }
        doc.put("source", source);
        doc.put("data", data);
        doc.put("createdAt", at.toString());
        doc.put("createdBy", actor);
        doc.put("platform", platform());
        try {
            return RegistryJson.MAPPER.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new FlywheelException(ErrorCode.INTERNAL, "Cannot write provenance.json of model '" + model + "': " + e.getOriginalMessage(), e);
        }
    }

    private static Object config(String configJson) {
        if (configJson == null || configJson.isBlank()) {
            return Map.of();
        }
        try {
            JsonNode node = RegistryJson.MAPPER.readTree(configJson);
            return node;
        } catch (JsonProcessingException e) {
            return configJson;
        }
    }

    private static Map<String, String> platform() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("flywheel", FLYWHEEL_VERSION);
        p.put("java", System.getProperty("java.version"));
        p.put("javaVendor", System.getProperty("java.vendor"));
        p.put("os", System.getProperty("os.name"));
        p.put("osVersion", System.getProperty("os.version"));
        p.put("arch", System.getProperty("os.arch"));
        return p;
    }

    private static String flywheelVersion() {
        try (InputStream in = Provenance.class.getResourceAsStream("flywheel-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
