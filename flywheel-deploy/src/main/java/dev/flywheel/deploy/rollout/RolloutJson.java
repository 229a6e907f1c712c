package dev.flywheel.deploy.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The stored JSON of a plan and of an analysis's checks; durations in milliseconds. */
final class RolloutJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RolloutJson() {
    }

    static String plan(RolloutPlan plan) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("strategy", plan.strategy().name());
        ArrayNode steps = n.putArray("steps");
        for (RolloutStep s : plan.steps()) {
            steps.addObject().put("weight", s.weight()).put("pauseMs", s.pause().toMillis());
        }
        AnalysisConfig a = plan.analysis();
        ObjectNode an = n.putObject("analysis");
        an.put("intervalMs", a.interval().toMillis()).put("failureLimit", a.failureLimit()).put("minSamples", a.minSamples())
                .put("maxErrorRate", a.maxErrorRate());
        if (a.maxP99() != null) {
            an.put("maxP99Ms", a.maxP99().toNanos() / 1e6);
        }
        if (a.maxPredictionDrift() != null) {
            an.put("maxPredictionDrift", a.maxPredictionDrift());
        }
        return n.toString();
    }

    static RolloutPlan plan(String json) {
        JsonNode n = tree(json);
        List<RolloutStep> steps = new ArrayList<>();
        for (JsonNode s : n.path("steps")) {
            steps.add(new RolloutStep(s.path("weight").asInt(), Duration.ofMillis(s.path("pauseMs").asLong())));
        }
        JsonNode a = n.path("analysis");
        AnalysisConfig analysis = new AnalysisConfig(Duration.ofMillis(a.path("intervalMs").asLong()), a.path("failureLimit").asInt(),
                a.path("minSamples").asLong(), a.path("maxErrorRate").asDouble(),
                a.has("maxP99Ms") ? Duration.ofNanos((long) (a.path("maxP99Ms").asDouble() * 1e6)) : null,
                a.has("maxPredictionDrift") ? a.path("maxPredictionDrift").asDouble() : null);
        return new RolloutPlan(RolloutStrategy.valueOf(n.path("strategy").asText()), steps, analysis);
    }

    static String checks(List<CheckResult> checks) {
        ArrayNode a = MAPPER.createArrayNode();
        for (CheckResult c : checks) {
            ObjectNode o = a.addObject().put("check", c.check()).put("threshold", c.threshold()).put("samples", c.samples())
                    .put("verdict", c.verdict().name());
            if (Double.isFinite(c.value())) {
                o.put("value", c.value());
            }
        }
        return a.toString();
    }

    static List<CheckResult> checks(String json) {
        List<CheckResult> out = new ArrayList<>();
        for (JsonNode c : tree(json)) {
            out.add(new CheckResult(c.path("check").asText(), c.has("value") ? c.path("value").asDouble() : Double.NaN,
                    c.path("threshold").asDouble(), c.path("samples").asLong(), Verdict.valueOf(c.path("verdict").asText())));
        }
        return out;
    }

    private static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.CORRUPT, "a stored rollout is not readable JSON: " + e.getMessage());
        }
    }
}
