package dev.flywheel.deploy.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flywheel.deploy.DeploymentConfig;
import dev.flywheel.sdk.FlywheelException;

import java.time.Instant;
import java.util.UUID;

/** JSON for {@link DeploymentConfig} and {@link ServiceRecord}: unknown fields are rejected, missing ones fail loudly. */
public final class ServiceJson {
    public static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ServiceJson() {
    }

    public static String config(DeploymentConfig config) {
        try {
            return MAPPER.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write deployment config", e);
        }
    }

    public static DeploymentConfig config(String json) {
        try {
            return MAPPER.readValue(json, DeploymentConfig.class);
        } catch (JsonProcessingException e) {
            throw FlywheelException.invalid("Invalid deployment config JSON: " + e.getOriginalMessage());
        }
    }

    public static JsonNode record(ServiceRecord r) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("uuid", r.uuid().toString());
        n.put("flavor", r.flavor());
        n.set("config", MAPPER.valueToTree(r.config()));
        n.put("desiredState", r.desiredState().name());
        n.put("status", r.status().text());
        n.put("lastError", r.lastError());
        n.put("predictionUrl", r.predictionUrl());
        n.put("name", r.name());
        n.put("follows", r.config().follows());
        n.put("supervisorPid", r.pid());
        n.put("serverPid", r.serverPid());
        n.put("port", r.port());
        n.put("restartCount", r.restartCount());
        n.put("createdAt", r.createdAt().toString());
        n.put("updatedAt", r.updatedAt().toString());
        return n;
    }

    public static ServiceRecord record(JsonNode n) {
        try {
            String lastError = text(n, "lastError");
            return new ServiceRecord(UUID.fromString(n.required("uuid").asText()), n.required("flavor").asText(),
                    MAPPER.treeToValue(n.required("config"), DeploymentConfig.class),
                    DesiredState.valueOf(n.required("desiredState").asText()),
                    ServiceStatus.parse(n.required("status").asText(), lastError), lastError, text(n, "predictionUrl"),
                    n.has("supervisorPid") ? n.path("supervisorPid").asLong() : n.path("pid").asLong(), n.path("port").asInt(),
                    n.path("restartCount").asInt(), Instant.parse(n.required("createdAt").asText()),
                    Instant.parse(n.required("updatedAt").asText()), text(n, "name"), n.path("serverPid").asLong());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw FlywheelException.invalid("Invalid service record JSON: " + e.getMessage());
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
