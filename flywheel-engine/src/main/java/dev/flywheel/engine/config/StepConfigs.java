package dev.flywheel.engine.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.StepSpec;
import dev.flywheel.sdk.internal.StepSignature;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configs a run uses: each step's defined config with the run's {@code --param} overrides applied. All
 * parameters are checked before the run starts, so a typo fails the run before any step executes.
 */
public final class StepConfigs {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .build();

    private final Map<String, Object> configs;
    private final Map<String, String> json;

    private StepConfigs(Map<String, Object> configs, Map<String, String> json) {
        this.configs = configs;
        this.json = json;
    }

    /**
     * @param params {@code "step.field" -> value} for one step, {@code "field" -> value} for every step whose config
     *               has such a field
     * @throws FlywheelException INVALID_ARGUMENT naming the parameter when a step or field does not exist or a value
     *                           does not parse as the field's type
     */
    public static StepConfigs resolve(Pipeline pipeline, Map<String, String> params) {
        Map<String, ObjectNode> trees = new LinkedHashMap<>();
        for (StepSpec s : pipeline.steps()) {
            if (s.config() != null) {
                trees.put(s.name(), JSON.valueToTree(s.config()));
            }
        }
        Map<String, Map<String, String>> touched = new HashMap<>();
        for (Map.Entry<String, String> p : params.entrySet()) {
            for (String step : apply(pipeline, trees, p.getKey(), p.getValue())) {
                String field = p.getKey().substring(p.getKey().indexOf('.') + 1);
                touched.computeIfAbsent(step, k -> new HashMap<>()).put(field, p.getKey() + "=" + p.getValue());
            }
        }
        Map<String, Object> configs = new HashMap<>();
        Map<String, String> json = new HashMap<>();
        for (StepSpec s : pipeline.steps()) {
            ObjectNode tree = trees.get(s.name());
            if (tree == null) {
                continue;
            }
            Class<?> type = StepSignature.of(s.stepClass()).configType().orElseThrow();
            try {
                Object config = JSON.treeToValue(tree, type);
                requireValues(s.name(), config, touched.getOrDefault(s.name(), Map.of()));
                configs.put(s.name(), config);
                json.put(s.name(), JSON.writeValueAsString(tree));
            } catch (JsonProcessingException e) {
                throw new FlywheelException(ErrorCode.INVALID_ARGUMENT, "The config of step '" + s.name() + "' ("
                        + type.getSimpleName() + ") is not valid with the given parameters: " + e.getOriginalMessage());
            } catch (IllegalArgumentException e) {
                throw new FlywheelException(ErrorCode.INVALID_ARGUMENT, "The config of step '" + s.name() + "' ("
                        + type.getSimpleName() + ") rejects the given parameters: " + e.getMessage());
            }
        }
        return new StepConfigs(configs, json);
    }

    /**
     * A parameter may not leave a field null or non-finite: such values would only fail deep inside the step (a
     * NullPointerException, a NOT NULL column, an infinite learning rate). Checked on the typed config, so float
     * fields are checked at float range.
     */
    private static void requireValues(String step, Object config, Map<String, String> touched) {
        if (touched.isEmpty() || !config.getClass().isRecord()) {
            return;
        }
        for (RecordComponent c : config.getClass().getRecordComponents()) {
            String param = touched.get(c.getName());
            if (param == null) {
                continue;
            }
            Object value;
            try {
                value = c.getAccessor().invoke(config);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (value == null) {
                throw FlywheelException.invalid("Parameter '" + param + "' leaves field '" + c.getName() + "' of step '" + step
                        + "' empty (null); pass a value of type " + c.getType().getSimpleName());
            }
            if ((value instanceof Double d && !Double.isFinite(d)) || (value instanceof Float f && !Float.isFinite(f))) {
                throw FlywheelException.invalid("Parameter '" + param + "' is not a finite number for field '" + c.getName()
                        + "' of step '" + step + "' (a " + c.getType().getSimpleName() + " holds at most "
                        + (value instanceof Float ? Float.MAX_VALUE : Double.MAX_VALUE) + "); pass a finite value");
            }
        }
    }

    /** Applies one parameter; returns the steps whose config it changed. */
    private static List<String> apply(Pipeline pipeline, Map<String, ObjectNode> trees, String key, String value) {
        int dot = key.indexOf('.');
        if (dot > 0) {
            String step = key.substring(0, dot);
            String field = key.substring(dot + 1);
            if (pipeline.step(step).isEmpty()) {
                throw FlywheelException.invalid("Parameter '" + key + "' names step '" + step + "', but pipeline '" + pipeline.name()
                        + "' has no such step; its steps are " + pipeline.steps().stream().map(StepSpec::name).toList());
            }
            ObjectNode tree = trees.get(step);
            if (tree == null || !tree.has(field)) {
                throw FlywheelException.invalid("Parameter '" + key + "': step '" + step + "' has no config field '" + field
                        + "'; its fields are " + (tree == null ? "[] (it takes no config)" : fieldNames(tree)));
            }
            set(tree, field, value, key);
            return List.of(step);
        }
        List<String> matched = new ArrayList<>();
        for (Map.Entry<String, ObjectNode> e : trees.entrySet()) {
            if (e.getValue().has(key)) {
                set(e.getValue(), key, value, key);
                matched.add(e.getKey());
            }
        }
        if (matched.isEmpty()) {
            throw FlywheelException.invalid("Parameter '" + key + "' matches no config field of pipeline '" + pipeline.name()
                    + "'; write it as STEP.FIELD, for example " + trees.entrySet().stream().findFirst()
                    .map(e -> e.getKey() + "." + fieldNames(e.getValue()).stream().findFirst().orElse("field")).orElse("step.field"));
        }
        return matched;
    }

    private static void set(ObjectNode tree, String field, String value, String key) {
        JsonNode current = tree.get(field);
        if (value.equals("null")) {
            throw FlywheelException.invalid("Parameter '" + key + "=null': a parameter cannot set a field to null; pass a value"
                    + (current != null && current.isTextual() ? " (for the text null, quote it as JSON: " + key + "='\"null\"')" : ""));
        }
        if (current != null && current.isContainerNode()) {
            JsonNode parsed;
            try {
                parsed = JSON.readTree(value);
            } catch (JsonProcessingException e) {
                throw FlywheelException.invalid("Parameter '" + key + "' must be JSON for this field: " + e.getOriginalMessage());
            }
            requireFiniteAndPresent(parsed, key, value);
            tree.set(field, parsed);
        } else if (current != null && current.isTextual() && value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            try {
                tree.set(field, TextNode.valueOf(JSON.readValue(value, String.class)));
            } catch (JsonProcessingException e) {
                throw FlywheelException.invalid("Parameter '" + key + "' starts and ends with a quote but is not a JSON string: "
                        + e.getOriginalMessage());
            }
        } else if (current != null && current.isNumber() && !value.matches("[-+]?[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?")) {
            throw FlywheelException.invalid("Parameter '" + key + "=" + value + "' is not a number, but the field is " + current.getNodeType().name().toLowerCase());
        } else if (current != null && current.isBoolean() && !value.matches("true|false")) {
            throw FlywheelException.invalid("Parameter '" + key + "=" + value + "' must be true or false");
        } else {
            tree.set(field, TextNode.valueOf(value));
        }
    }

    /** JSON given for a list, map or record field: no nulls, no numbers beyond double range (1e400). */
    private static void requireFiniteAndPresent(JsonNode node, String key, String value) {
        if (node.isNull()) {
            throw FlywheelException.invalid("Parameter '" + key + "=" + value + "' holds null; a parameter cannot set null values");
        }
        if (node.isNumber() && !Double.isFinite(node.asDouble())) {
            throw FlywheelException.invalid("Parameter '" + key + "=" + value + "' holds " + node + ", which is not a finite number");
        }
        for (JsonNode child : node) {
            requireFiniteAndPresent(child, key, value);
        }
    }

    private static List<String> fieldNames(ObjectNode tree) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = tree.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }

    /** The config object for the step, or null when it takes none. */
    public Object config(String step) {
        return configs.get(step);
    }

    /** The config as canonical JSON (sorted keys), or null when the step takes none. */
    public String json(String step) {
        return json.get(step);
    }

    public static ObjectMapper mapper() {
        return JSON;
    }
}
