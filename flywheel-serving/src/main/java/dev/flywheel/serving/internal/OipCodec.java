package dev.flywheel.serving.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.Predictions;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.Feature;
import dev.flywheel.sdk.model.FeatureType;
import dev.flywheel.sdk.model.ModelSignature;
import dev.flywheel.sdk.model.TensorSpec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Open Inference Protocol v2 (KServe / Triton REST) for tabular models. A request carries either one input per
 * feature (named as the feature, shape {@code [N]} or {@code [N,1]}) or a single input of shape {@code [N,k]}
 * whose columns are the signature's inputs in order; {@code data} may be flat or nested.
 */
final class OipCodec {
    private OipCodec() {
    }

    /** A decoded infer request: all rows in one batch, the requested outputs ({@code null} = all). */
    record InferRequest(String id, FeatureBatch batch, List<String> outputs) implements ScoringRequest {
    }

    /** One response tensor: which prediction columns it holds, its declared type and its dimensions after the batch. */
    private record OutputTensor(String name, FeatureType type, int firstColumn, int columns, List<Long> rowShape) {
    }

    static InferRequest read(JsonNode root, ModelSignature sig, String modelName) {
        if (!root.isObject()) {
            throw FlywheelException.invalid("infer request must be a JSON object with an 'inputs' array");
        }
        String id = null;
        JsonNode idNode = root.get("id");
        if (idNode != null && !idNode.isNull()) {
            if (!idNode.isTextual()) {
                throw FlywheelException.invalid("'id' must be a string, got " + idNode.getNodeType());
            }
            id = idNode.textValue();
        }
        JsonNode params = root.get("parameters");
        if (params != null && !params.isObject() && !params.isNull()) {
            throw FlywheelException.invalid("'parameters' must be a JSON object");
        }
        JsonNode inputs = root.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw FlywheelException.invalid("infer request needs a non-empty 'inputs' array; model '" + modelName
                    + "' takes inputs " + (sig.hasTensors() ? sig.inputTensors() : sig.inputNames()));
        }
        FeatureBatch batch;
        if (sig.hasTensors() && (tensorIndex(sig, nameOf(inputs.get(0), 0)) >= 0 || !sig.namedColumns())) {
            batch = readTensors(inputs, sig, modelName);
        } else if (!sig.hasTensors() && inputs.size() == 1 && sig.inputIndex(nameOf(inputs.get(0), 0)) < 0) {
            batch = readMatrix(inputs.get(0), sig);
        } else {
            batch = readPerFeature(inputs, sig, modelName);
        }
        return new InferRequest(id, batch, requestedOutputs(root.get("outputs")));
    }

    private static FeatureBatch readMatrix(JsonNode input, ModelSignature sig) {
        String name = nameOf(input, 0);
        int k = sig.inputs().size();
        long[] shape = shapeOf(input, name);
        Datatype declared = datatype(input, name);
        if (shape.length != 2 || shape[1] != k) {
            throw FlywheelException.invalid("input '" + name + "' is not a feature of this model, so it must be one "
                    + "matrix of shape [N," + k + "] whose columns are " + sig.inputNames() + "; got shape "
                    + java.util.Arrays.toString(shape));
        }
        int rows = rowsOf(shape[0], name);
        float[] values = new float[rows * k];
        JsonNode data = dataOf(input, name);
        int[] count = {0};
        List<Feature> features = sig.inputs();
        Cells.Where where = r -> "input '" + name + "' row " + r;
        fill(data, name, leaf -> {
            int i = count[0]++;
            if (i < values.length) {
                values[i] = Cells.fromJson(leaf, features.get(i % k), declared, i / k, where);
            }
        });
        checkCount(name, shape, count[0], values.length);
        return new FeatureBatch(rows, k, values);
    }

    private static int tensorIndex(ModelSignature sig, String name) {
        for (int i = 0; i < sig.inputTensors().size(); i++) {
            if (sig.inputTensors().get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The graph's own tensors, as KServe and Triton take them: every input tensor by name, in its datatype, with its
     * shape (the batch first). Its values fill the tensor's columns of each row.
     */
    static FeatureBatch readTensors(JsonNode inputs, ModelSignature sig, String modelName) {
        List<TensorSpec> tensors = sig.inputTensors();
        int k = sig.inputs().size();
        int[] offsets = new int[tensors.size()];
        for (int t = 1; t < tensors.size(); t++) {
            offsets[t] = offsets[t - 1] + (int) tensors.get(t - 1).rowWidth();
        }
        boolean[] seen = new boolean[tensors.size()];
        int rows = -1;
        String firstName = null;
        float[] values = null;
        for (int n = 0; n < inputs.size(); n++) {
            JsonNode input = inputs.get(n);
            String name = nameOf(input, n);
            int index = tensorIndex(sig, name);
            if (index < 0) {
                throw FlywheelException.invalid("unknown input '" + name + "'; model '" + modelName + "' takes the tensors "
                        + tensors + (sig.namedColumns() ? " (or one input per column " + sig.inputNames() + ")" : ""));
            }
            if (seen[index]) {
                throw FlywheelException.invalid("input '" + name + "' is given twice");
            }
            seen[index] = true;
            TensorSpec tensor = tensors.get(index);
            Datatype declared = datatype(input, name);
            if (declared != Datatype.of(tensor.type())) {
                throw FlywheelException.invalid("input '" + name + "' has datatype " + declared + " but model '" + modelName
                        + "' takes " + tensor + "; send datatype " + OipCodec.datatype(tensor.type()));
            }
            long[] shape = shapeOf(input, name);
            if (!fits(shape, tensor)) {
                throw FlywheelException.invalid("input '" + name + "' has shape " + java.util.Arrays.toString(shape) + " but model '"
                        + modelName + "' takes " + tensor + " (-1 is any size, the first dimension is the batch)");
            }
            if (rows < 0) {
                rows = rowsOf(shape[0], name);
                firstName = name;
                values = new float[rows * k];
            } else {
                sameRows(name, rowsOf(shape[0], name), firstName, rows);
            }
            int width = (int) tensor.rowWidth();
            int offset = offsets[index];
            float[] out = values;
            int[] count = {0};
            int total = rows * width;
            List<Feature> columns = sig.inputs();
            Cells.Where where = row -> "input '" + name + "' row " + row;
            fill(dataOf(input, name), name, leaf -> {
                int i = count[0]++;
                if (i < total) {
                    int row = i / width;
                    int c = offset + i % width;
                    out[row * k + c] = Cells.fromJson(leaf, columns.get(c), declared, row, where);
                }
            });
            checkCount(name, shape, count[0], total);
        }
        for (int t = 0; t < tensors.size(); t++) {
            if (!seen[t]) {
                throw FlywheelException.invalid("missing input '" + tensors.get(t).name() + "'; model '" + modelName
                        + "' takes the tensors " + tensors);
            }
        }
        return new FeatureBatch(rows, k, values);
    }

    private static void sameRows(String name, int rows, String firstName, int firstRows) {
        if (rows != firstRows) {
            throw FlywheelException.invalid("input '" + name + "' has " + rows + " rows but input '" + firstName
                    + "' has " + firstRows + "; every input needs the same number of rows");
        }
    }

    /** A request shape fits a tensor: same rank, and every fixed dimension (the batch's too) equal. */
    private static boolean fits(long[] shape, TensorSpec tensor) {
        if (shape.length != tensor.shape().size()) {
            return false;
        }
        for (int i = 0; i < shape.length; i++) {
            long want = tensor.shape().get(i);
            if (want >= 0 && want != shape[i]) {
                return false;
            }
        }
        return true;
    }

    private static FeatureBatch readPerFeature(JsonNode inputs, ModelSignature sig, String modelName) {
        int k = sig.inputs().size();
        boolean[] seen = new boolean[k];
        int rows = -1;
        String firstName = null;
        float[] values = null;
        for (int n = 0; n < inputs.size(); n++) {
            JsonNode input = inputs.get(n);
            String name = nameOf(input, n);
            int column = sig.inputIndex(name);
            if (column < 0) {
                throw FlywheelException.invalid("unknown input '" + name + "'; model '" + modelName + "' takes inputs "
                        + sig.inputNames() + " (one per feature, or one [N," + k + "] matrix)");
            }
            if (seen[column]) {
                throw FlywheelException.invalid("input '" + name + "' is given twice");
            }
            seen[column] = true;
            long[] shape = shapeOf(input, name);
            Datatype declared = datatype(input, name);
            if (shape.length == 0 || shape.length > 2 || (shape.length == 2 && shape[1] != 1)) {
                throw FlywheelException.invalid("input '" + name + "' has shape " + java.util.Arrays.toString(shape)
                        + "; a per-feature input takes shape [N] or [N,1]");
            }
            if (rows < 0) {
                rows = rowsOf(shape[0], name);
                firstName = name;
                values = new float[rows * k];
            } else {
                sameRows(name, rowsOf(shape[0], name), firstName, rows);
            }
            Feature feature = sig.inputs().get(column);
            float[] out = values;
            int[] count = {0};
            int total = rows;
            Cells.Where where = row -> "input '" + name + "' row " + row;
            fill(dataOf(input, name), name, leaf -> {
                int i = count[0]++;
                if (i < total) {
                    out[i * k + column] = Cells.fromJson(leaf, feature, declared, i, where);
                }
            });
            checkCount(name, shape, count[0], rows);
        }
        for (int c = 0; c < k; c++) {
            if (!seen[c]) {
                throw FlywheelException.invalid("missing input '" + sig.inputs().get(c).name() + "'; model '" + modelName
                        + "' takes inputs " + sig.inputNames());
            }
        }
        return new FeatureBatch(rows, k, values);
    }

    private interface LeafSink {
        void accept(JsonNode leaf);
    }

    private static void fill(JsonNode node, String name, LeafSink sink) {
        if (node.isArray()) {
            for (int i = 0, n = node.size(); i < n; i++) {
                JsonNode child = node.get(i);
                if (child.isArray()) {
                    fill(child, name, sink);
                } else {
                    sink.accept(child);
                }
            }
        } else {
            throw FlywheelException.invalid("input '" + name + "' data must be a JSON array (flat or nested)");
        }
    }

    private static String nameOf(JsonNode input, int index) {
        JsonNode name = input.isObject() ? input.get("name") : null;
        if (name == null || !name.isTextual() || name.textValue().isEmpty()) {
            throw FlywheelException.invalid("inputs[" + index + "] needs a 'name' string");
        }
        return name.textValue();
    }

    private static long[] shapeOf(JsonNode input, String name) {
        JsonNode shape = input.get("shape");
        if (shape == null || !shape.isArray() || shape.isEmpty()) {
            throw FlywheelException.invalid("input '" + name + "' needs a 'shape' array such as [N] or [N,k]");
        }
        long[] dims = new long[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = shape.get(i);
            if (!d.isIntegralNumber() || d.longValue() < 0) {
                throw FlywheelException.invalid("input '" + name + "' shape " + shape + " must hold non-negative integers");
            }
            dims[i] = d.longValue();
        }
        return dims;
    }

    private static Datatype datatype(JsonNode input, String name) {
        JsonNode type = input.get("datatype");
        if (type == null || !type.isTextual()) {
            throw FlywheelException.invalid("input '" + name + "' needs a 'datatype' such as FP32");
        }
        Datatype declared = Datatype.parse(type.textValue());
        if (declared == null) {
            throw FlywheelException.invalid("input '" + name + "' has datatype '" + type.textValue()
                    + "'; this model takes numeric tensors (FP16, FP32, FP64, INT8..INT64, UINT8..UINT64, BOOL)");
        }
        return declared;
    }

    private static int rowsOf(long n, String name) {
        if (n < 1 || n > 10_000_000) {
            throw FlywheelException.invalid("input '" + name + "' has " + n + " rows; send 1 to 10,000,000 rows");
        }
        return (int) n;
    }

    private static JsonNode dataOf(JsonNode input, String name) {
        JsonNode data = input.get("data");
        if (data == null) {
            throw FlywheelException.invalid("input '" + name + "' has no 'data'");
        }
        return data;
    }

    private static void checkCount(String name, long[] shape, int got, int expected) {
        if (got != expected) {
            throw FlywheelException.invalid("input '" + name + "' has shape " + java.util.Arrays.toString(shape)
                    + " (" + expected + " values) but its data holds " + got);
        }
    }

    private static List<String> requestedOutputs(JsonNode outputs) {
        if (outputs == null || outputs.isNull()) {
            return null;
        }
        if (!outputs.isArray()) {
            throw FlywheelException.invalid("'outputs' must be an array of {\"name\": ...}");
        }
        List<String> names = new ArrayList<>(outputs.size());
        for (int i = 0; i < outputs.size(); i++) {
            JsonNode name = outputs.get(i).get("name");
            if (name == null || !name.isTextual()) {
                throw FlywheelException.invalid("outputs[" + i + "] needs a 'name' string");
            }
            names.add(name.textValue());
        }
        return names;
    }

    /** The response tensors of a model: one per declared output, or one [N,width] tensor. */
    private static List<OutputTensor> tensors(ModelSignature sig, int width) {
        if (!sig.outputTensors().isEmpty()) {
            List<OutputTensor> list = new ArrayList<>();
            int column = 0;
            for (TensorSpec t : sig.outputTensors()) {
                int columns = (int) t.rowWidth();
                list.add(new OutputTensor(t.name(), t.type(), column, columns, t.shape().subList(1, t.shape().size())));
                column += columns;
            }
            return list;
        }
        List<Feature> outs = sig.outputs();
        if (outs.size() > 1 && outs.size() == width) {
            List<OutputTensor> list = new ArrayList<>(width);
            for (int i = 0; i < width; i++) {
                list.add(new OutputTensor(outs.get(i).name(), outs.get(i).type(), i, 1, List.of()));
            }
            return list;
        }
        Feature only = outs.isEmpty() ? Feature.fp32("prediction") : outs.get(0);
        return List.of(new OutputTensor(only.name(), only.type(), 0, width, width > 1 ? List.of((long) width) : List.of()));
    }

    static byte[] writeInfer(ServedModel m, InferRequest req, Predictions p) {
        List<OutputTensor> all = tensors(m.spec().signature(), p.width());
        List<OutputTensor> chosen = all;
        if (req.outputs() != null) {
            chosen = new ArrayList<>(req.outputs().size());
            for (String name : req.outputs()) {
                OutputTensor t = all.stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow(() ->
                        FlywheelException.invalid("unknown output '" + name + "'; model '" + m.spec().modelName()
                                + "' has outputs " + all.stream().map(OutputTensor::name).toList()));
                chosen.add(t);
            }
        }
        List<OutputTensor> tensors = chosen;
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("model_name", m.spec().modelName());
            g.writeStringField("model_version", m.versionText());
            if (req.id() != null) {
                g.writeStringField("id", req.id());
            }
            g.writeArrayFieldStart("outputs");
            for (OutputTensor t : tensors) {
                g.writeStartObject();
                g.writeStringField("name", t.name());
                g.writeStringField("datatype", datatype(t.type()));
                g.writeArrayFieldStart("shape");
                g.writeNumber(p.rows());
                for (long d : t.rowShape()) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("data");
                float[] v = p.values();
                for (int r = 0; r < p.rows(); r++) {
                    int base = r * p.width() + t.firstColumn();
                    for (int c = 0; c < t.columns(); c++) {
                        writeValue(g, t.type(), v[base + c]);
                    }
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    static void writeValue(JsonGenerator g, FeatureType type, float value) throws IOException {
        if (type == FeatureType.BOOL) {
            g.writeBoolean(value != 0f);
        } else if (Datatype.of(type).integral()) {
            g.writeNumber((long) value);
        } else if (Float.isNaN(value)) {
            g.writeNull();
        } else {
            g.writeNumber(value);
        }
    }

    static String datatype(FeatureType type) {
        return type == FeatureType.BYTES ? "BYTES" : type.name();
    }

    static byte[] writeMetadata(ServedModel m) {
        ModelSignature sig = m.spec().signature();
        List<OutputTensor> outs = tensors(sig, m.outputWidth());
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("name", m.spec().modelName());
            g.writeArrayFieldStart("versions");
            g.writeString(m.versionText());
            g.writeEndArray();
            g.writeStringField("platform", m.spec().format());
            g.writeArrayFieldStart("inputs");
            if (sig.hasTensors()) {
                for (TensorSpec t : sig.inputTensors()) {
                    g.writeStartObject();
                    g.writeStringField("name", t.name());
                    g.writeStringField("datatype", datatype(t.type()));
                    g.writeArrayFieldStart("shape");
                    for (long d : t.shape()) {
                        g.writeNumber(d);
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }
            } else {
                for (Feature f : sig.inputs()) {
                    g.writeStartObject();
                    g.writeStringField("name", f.name());
                    g.writeStringField("datatype", datatype(f.type()));
                    g.writeArrayFieldStart("shape");
                    g.writeNumber(-1);
                    g.writeEndArray();
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            if (sig.hasTensors() && sig.namedColumns()) {
                // Not part of OIP: the column names dataframe clients (and per-column inputs) may use.
                g.writeObjectFieldStart("parameters");
                g.writeArrayFieldStart("columns");
                for (String c : sig.inputNames()) {
                    g.writeString(c);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeArrayFieldStart("outputs");
            for (OutputTensor t : outs) {
                g.writeStartObject();
                g.writeStringField("name", t.name());
                g.writeStringField("datatype", datatype(t.type()));
                g.writeArrayFieldStart("shape");
                g.writeNumber(-1);
                for (long d : t.rowShape()) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }
}
