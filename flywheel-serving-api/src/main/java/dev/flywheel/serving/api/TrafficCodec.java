package dev.flywheel.serving.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flywheel.sdk.FlywheelException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * The JSON of {@code /admin/traffic}, written once for the server and the controllers that call it. A command is
 * {@code {"action": "split", "mode": "canary"|"shadow", "weight": 10, "challenger": <swap body>}},
 * {@code {"action": "promote"}} or {@code {"action": "abort"}}; the answer is a {@link TrafficReport}. Every problem
 * {@link #readCommand} finds names the field and what it expects (INVALID_ARGUMENT, a 400 on the server).
 */
public final class TrafficCodec {
    private static final ObjectMapper MAPPER = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final Set<String> SPLIT_KEYS = Set.of("action", "mode", "weight", "challenger");

    private TrafficCodec() {
    }

    public static byte[] write(TrafficCommand command) {
        ObjectNode n = MAPPER.createObjectNode();
        switch (command) {
            case TrafficCommand.Split s -> {
                n.put("action", "split");
                n.put("mode", s.mode().label());
                n.put("weight", s.weight());
                n.set("challenger", tree(SwapCodec.write(s.challenger())));
            }
            case TrafficCommand.Promote p -> n.put("action", "promote");
            case TrafficCommand.Abort a -> n.put("action", "abort");
        }
        return bytes(n);
    }

    public static TrafficCommand readCommand(byte[] body) {
        JsonNode root = JsonBody.parse(MAPPER, body);
        if (!root.isObject()) {
            throw FlywheelException.invalid("traffic body must be a JSON object with an 'action': split, promote or abort");
        }
        String action = root.path("action").asText("");
        switch (action) {
            case "promote", "abort" -> {
                if (root.size() != 1) {
                    throw FlywheelException.invalid("action '" + action + "' takes no other field; send {\"action\": \"" + action + "\"}");
                }
                return action.equals("promote") ? new TrafficCommand.Promote() : new TrafficCommand.Abort();
            }
            case "split" -> {
                for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
                    String key = it.next();
                    if (!SPLIT_KEYS.contains(key)) {
                        throw FlywheelException.invalid("unknown field '" + key + "' in a split; expected " + SPLIT_KEYS);
                    }
                }
                TrafficMode mode;
                try {
                    mode = TrafficMode.valueOf(root.path("mode").asText("").toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw FlywheelException.invalid("'mode' must be canary or shadow, got " + root.get("mode"));
                }
                JsonNode weight = root.get("weight");
                if (weight == null || !weight.isIntegralNumber() || !weight.canConvertToInt()) {
                    throw FlywheelException.invalid("'weight' must be an integer percentage from 0 to 100, got " + weight);
                }
                JsonNode challenger = root.get("challenger");
                if (challenger == null || !challenger.isObject()) {
                    throw FlywheelException.invalid("'challenger' must be the version to serve beside the champion, as in a swap body");
                }
                try {
                    return new TrafficCommand.Split(mode, weight.intValue(), SwapCodec.readSpec(challenger));
                } catch (IllegalArgumentException e) {
                    throw FlywheelException.invalid(e.getMessage());
                }
            }
            default -> throw FlywheelException.invalid("'action' must be split, promote or abort, got " + root.get("action"));
        }
    }

    public static byte[] write(TrafficReport report) {
        try {
            return MAPPER.writeValueAsBytes(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a traffic report", e);
        }
    }

    public static TrafficReport readReport(byte[] body) {
        try {
            return MAPPER.readValue(body, TrafficReport.class);
        } catch (IOException e) {
            throw FlywheelException.invalid("not a traffic report: " + e.getMessage());
        }
    }

    private static JsonNode tree(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(JsonNode n) {
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
