package dev.flywheel.client.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.client.Datatype;
import dev.flywheel.client.InferResponse;
import dev.flywheel.client.ModelMetadata;
import dev.flywheel.client.Predictions;
import dev.flywheel.client.Tensor;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The JSON of the Open Inference Protocol v2 and of MLflow's {@code /invocations}, as the client sends and reads it. */
public final class OipJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private OipJson() {
    }

    /** {@code {"inputs": [{"name", "shape", "datatype", "data"}...], "outputs": [{"name"}...]}}. */
    public static String inferRequest(List<Tensor> inputs, List<String> outputs) {
        return write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("inputs");
            for (Tensor t : inputs) {
                g.writeStartObject();
                g.writeStringField("name", t.name());
                g.writeArrayFieldStart("shape");
                for (long d : t.shape()) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                g.writeStringField("datatype", t.datatype().name());
                g.writeArrayFieldStart("data");
                writeData(g, t);
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            if (!outputs.isEmpty()) {
                g.writeArrayFieldStart("outputs");
                for (String o : outputs) {
                    g.writeStartObject();
                    g.writeStringField("name", o);
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        });
    }

    private static void writeData(JsonGenerator g, Tensor t) throws IOException {
        switch (t.datatype()) {
            case FP32, FP16 -> {
                for (float v : t.floats()) {
                    g.writeNumber(v);
                }
            }
            case FP64 -> {
                for (double v : t.doubles()) {
                    g.writeNumber(v);
                }
            }
            case UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64 -> {
                for (long v : t.longs()) {
                    g.writeNumber(v);
                }
            }
            case BOOL -> {
                for (boolean v : t.booleans()) {
                    g.writeBoolean(v);
                }
            }
            case BYTES -> {
                for (String v : t.strings()) {
                    g.writeString(v);
                }
            }
        }
    }

    /** {@code {"dataframe_records": [{column: value, ...}, ...]}}. */
    public static String dataframeRecords(List<? extends Map<String, ?>> records) {
        try {
            return MAPPER.writeValueAsString(Map.of("dataframe_records", records));
        } catch (IOException e) {
            throw FlywheelException.invalid("Cannot write the records as JSON: " + e.getMessage());
        }
    }

    public static InferResponse inferResponse(String body, String versionHeader) {
        JsonNode root = parse(body);
        JsonNode outputs = root.get("outputs");
        if (outputs == null || !outputs.isArray()) {
            throw malformed("no 'outputs' array", body);
        }
        List<Tensor> tensors = new ArrayList<>(outputs.size());
        for (JsonNode o : outputs) {
            tensors.add(tensor(o, body));
        }
        String version = text(root.get("model_version"));
        return new InferResponse(text(root.get("model_name")), version != null ? version : versionHeader, text(root.get("id")), tensors);
    }

    private static Tensor tensor(JsonNode o, String body) {
        String name = text(o.get("name"));
        String type = text(o.get("datatype"));
        JsonNode shapeNode = o.get("shape");
        JsonNode data = o.get("data");
        if (name == null || type == null || shapeNode == null || !shapeNode.isArray() || data == null || !data.isArray()) {
            throw malformed("an output needs name, datatype, shape and data", body);
        }
        Datatype datatype;
        try {
            datatype = Datatype.valueOf(type);
        } catch (IllegalArgumentException e) {
            throw malformed("unknown datatype '" + type + "'", body);
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
        }
        List<JsonNode> values = new ArrayList<>();
        flatten(data, values);
        int n = values.size();
        Object array = switch (datatype) {
            case FP32, FP16 -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = (float) number(values.get(i), name, body);
                }
                yield f;
            }
            case FP64 -> {
                double[] d = new double[n];
                for (int i = 0; i < n; i++) {
                    d[i] = number(values.get(i), name, body);
                }
                yield d;
            }
            case UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64 -> {
                long[] l = new long[n];
                for (int i = 0; i < n; i++) {
                    l[i] = values.get(i).asLong();
                }
                yield l;
            }
            case BOOL -> {
                boolean[] b = new boolean[n];
                for (int i = 0; i < n; i++) {
                    b[i] = values.get(i).asBoolean();
                }
                yield b;
            }
            case BYTES -> values.stream().map(JsonNode::asText).toArray(String[]::new);
        };
        try {
            return Tensor.of(name, datatype, shape, array);
        } catch (IllegalArgumentException e) {
            throw malformed(e.getMessage(), body);
        }
    }

    /** OIP allows data as a flat list or nested like the shape: both read as row-major values. */
    private static void flatten(JsonNode node, List<JsonNode> out) {
        if (node.isArray()) {
            node.forEach(n -> flatten(n, out));
        } else {
            out.add(node);
        }
    }

    private static double number(JsonNode v, String tensor, String body) {
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isTextual()) {
            // Non-finite values travel as strings ("NaN", "Infinity") in some servers' JSON.
            switch (v.asText()) {
                case "NaN" -> {
                    return Double.NaN;
                }
                case "Infinity", "+Infinity", "inf" -> {
                    return Double.POSITIVE_INFINITY;
                }
                case "-Infinity", "-inf" -> {
                    return Double.NEGATIVE_INFINITY;
                }
                default -> {
                }
            }
        }
        throw malformed("output '" + tensor + "' has a value that is not a number: " + v, body);
    }

    public static Predictions predictions(String body, String versionHeader) {
        JsonNode root = parse(body);
        JsonNode p = root.get("predictions");
        if (p == null || !p.isArray()) {
            throw malformed("no 'predictions' array", body);
        }
        List<Object> values = new ArrayList<>(p.size());
        for (JsonNode v : p) {
            values.add(MAPPER.convertValue(v, Object.class));
        }
        return new Predictions(values, versionHeader);
    }

    public static ModelMetadata metadata(String body) {
        JsonNode root = parse(body);
        List<String> versions = new ArrayList<>();
        JsonNode v = root.get("versions");
        if (v != null && v.isArray()) {
            v.forEach(n -> versions.add(n.asText()));
        }
        return new ModelMetadata(text(root.get("name")), versions, text(root.get("platform")), specs(root.get("inputs")),
                specs(root.get("outputs")));
    }

    private static List<ModelMetadata.TensorSpec> specs(JsonNode array) {
        List<ModelMetadata.TensorSpec> specs = new ArrayList<>();
        if (array == null || !array.isArray()) {
            return specs;
        }
        for (JsonNode t : array) {
            List<Long> shape = new ArrayList<>();
            JsonNode s = t.get("shape");
            if (s != null && s.isArray()) {
                s.forEach(d -> shape.add(d.asLong()));
            }
            specs.add(new ModelMetadata.TensorSpec(text(t.get("name")), text(t.get("datatype")), shape));
        }
        return specs;
    }

    /** The server's error message ({@code {"error": "..."}}), or the body as it is. */
    public static String errorText(String body) {
        try {
            JsonNode n = MAPPER.readTree(body);
            if (n != null && n.hasNonNull("error")) {
                return n.get("error").asText();
            }
        } catch (IOException e) {
            // not JSON: show it as it is
        }
        return body == null || body.isBlank() ? "(no message)" : body.strip();
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode n = MAPPER.readTree(body);
            if (n == null || !n.isObject()) {
                throw malformed("not a JSON object", body);
            }
            return n;
        } catch (IOException e) {
            throw malformed("not JSON (" + e.getMessage() + ")", body);
        }
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private static FlywheelException malformed(String what, String body) {
        String shown = body == null ? "" : body.length() > 200 ? body.substring(0, 200) + "..." : body;
        return new FlywheelException(ErrorCode.UNAVAILABLE, "The server's answer is malformed: " + what + ": " + shown);
    }

    private interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(Writer w) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            w.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
