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

    /**
     * A decoded infer request: all rows in one batch, the requested outputs ({@code null} = all), and whether the
     * answer's tensors go as raw bytes (gRPC {@code raw_output_contents}, when the request sent raw inputs).
     */
    record InferRequest(String id, FeatureBatch batch, List<String> outputs, boolean raw) implements ScoringRequest {
        InferRequest(String id, FeatureBatch batch, List<String> outputs) {
            this(id, batch, outputs, false);
        }
    }

    /**
     * One input tensor of a request, from JSON or protobuf. Each part is read when the checks below ask for it, in
     * the same order for both transports, so a bad request fails with the same message on REST and gRPC.
     */
    interface Input {
        String name();

        Datatype datatype();

        long[] shape();

        /** Converts every value, row-major, handing value {@code i < slots.limit()} to the slots; returns how many there are. */
        int read(Slots slots);
    }

    /** Where a tensor's values go in the batch, and the feature each one is checked against. */
    interface Slots {
        int limit();

        Feature feature(int i);

        int row(int i);

        void set(int i, float value);
    }

    /** A JSON input object, read lazily. */
    private static final class JsonInput implements Input {
        private final JsonNode node;
        private final int index;
        private String name;
        private Datatype datatype;

        JsonInput(JsonNode node, int index) {
            this.node = node;
            this.index = index;
        }

        @Override
        public String name() {
            if (name == null) {
                name = nameOf(node, index);
            }
            return name;
        }

        @Override
        public Datatype datatype() {
            if (datatype == null) {
                datatype = OipCodec.datatype(node, name());
            }
            return datatype;
        }

        @Override
        public long[] shape() {
            return shapeOf(node, name());
        }

        @Override
        public int read(Slots slots) {
            String n = name();
            Datatype declared = datatype();
            int limit = slots.limit();
            int[] count = {0};
            Cells.Where where = row -> "input '" + n + "' row " + row;
            fill(dataOf(node, n), n, leaf -> {
                int i = count[0]++;
                if (i < limit) {
                    slots.set(i, Cells.fromJson(leaf, slots.feature(i), declared, slots.row(i), where));
                }
            });
            return count[0];
        }
    }

    /** One response tensor: which prediction columns it holds, its declared type and its dimensions after the batch. */
    record OutputTensor(String name, FeatureType type, int firstColumn, int columns, List<Long> rowShape) {
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
        return new InferRequest(id, batch(jsonInputs(inputs), sig, modelName), requestedOutputs(root.get("outputs")));
    }

    static List<Input> jsonInputs(JsonNode inputs) {
        List<Input> list = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            list.add(new JsonInput(inputs.get(i), i));
        }
        return list;
    }

    /**
     * Reads an infer request body. The streaming reader ({@link OipStream}) puts the values straight into the batch;
     * whatever it leaves (every bad request, and fields in an unusual order) is read again as a tree by
     * {@link #read(JsonNode, ModelSignature, String)}, so that answers and 4xx messages are the tree reader's.
     */
    static InferRequest read(byte[] body, ModelSignature sig, String modelName) {
        try {
            return OipStream.read(body, sig, modelName);
        } catch (IOException | RuntimeException streamLeftIt) {
            return read(Json.parse(body), sig, modelName);
        }
    }

    /** The rows of a request's inputs: the graph's tensors, one [N,k] matrix, or one input per feature. */
    static FeatureBatch batch(List<Input> inputs, ModelSignature sig, String modelName) {
        Assembly assembly = assembly(sig, modelName, inputs.get(0).name(), inputs.size() == 1);
        for (Input input : inputs) {
            assembly.add(input);
        }
        return assembly.finish();
    }

    /**
     * Builds a batch input by input, in the order a transport reads them, so a stream can hand each input over as
     * soon as its header is read. Every check runs when its input is added, in the order the inputs come.
     */
    sealed interface Assembly {
        /** Checks one input's name, datatype and shape, then reads its values into the batch. */
        void add(Input input);

        /** Checks that every input the model needs was added and returns the batch. */
        FeatureBatch finish();
    }

    /**
     * The assembly the first input chooses: the graph's tensors, one [N,k] matrix (only when it is the only input;
     * a stream that cannot know yet passes {@code true}, and a second input is then refused), or one input per feature.
     */
    static Assembly assembly(ModelSignature sig, String modelName, String firstName, boolean onlyInput) {
        if (sig.hasTensors() && (tensorIndex(sig, firstName) >= 0 || !sig.namedColumns())) {
            return new TensorAssembly(sig, modelName);
        } else if (!sig.hasTensors() && onlyInput && sig.inputIndex(firstName) < 0) {
            return new MatrixAssembly(sig);
        }
        return new FeatureAssembly(sig, modelName);
    }

    /** One input whose columns are the signature's inputs in order. */
    private static final class MatrixAssembly implements Assembly {
        private final ModelSignature sig;
        private FeatureBatch batch;

        MatrixAssembly(ModelSignature sig) {
            this.sig = sig;
        }

        @Override
        public void add(Input input) {
            if (batch != null) {
                // Only a stream gets here; the list reader chose per-feature inputs, which refuses this input.
                throw new IllegalStateException("a matrix request has one input");
            }
            String name = input.name();
            int k = sig.inputs().size();
            long[] shape = input.shape();
            input.datatype();
            if (shape.length != 2 || shape[1] != k) {
                throw FlywheelException.invalid("input '" + name + "' is not a feature of this model, so it must be one "
                        + "matrix of shape [N," + k + "] whose columns are " + sig.inputNames() + "; got shape "
                        + java.util.Arrays.toString(shape));
            }
            int rows = rowsOf(shape[0], name);
            float[] values = new float[rows * k];
            List<Feature> features = sig.inputs();
            int count = input.read(new Slots() {
                public int limit() {
                    return values.length;
                }

                public Feature feature(int i) {
                    return features.get(i % k);
                }

                public int row(int i) {
                    return i / k;
                }

                public void set(int i, float value) {
                    values[i] = value;
                }
            });
            checkCount(name, shape, count, values.length);
            batch = new FeatureBatch(rows, k, values);
        }

        @Override
        public FeatureBatch finish() {
            return batch;
        }
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
    static FeatureBatch readTensors(List<Input> inputs, ModelSignature sig, String modelName) {
        TensorAssembly assembly = new TensorAssembly(sig, modelName);
        for (Input input : inputs) {
            assembly.add(input);
        }
        return assembly.finish();
    }

    private static final class TensorAssembly implements Assembly {
        private final ModelSignature sig;
        private final String modelName;
        private final List<TensorSpec> tensors;
        private final int k;
        private final int[] offsets;
        private final boolean[] seen;
        private int rows = -1;
        private String firstName;
        private float[] values;

        TensorAssembly(ModelSignature sig, String modelName) {
            this.sig = sig;
            this.modelName = modelName;
            this.tensors = sig.inputTensors();
            this.k = sig.inputs().size();
            this.offsets = new int[tensors.size()];
            for (int t = 1; t < tensors.size(); t++) {
                offsets[t] = offsets[t - 1] + (int) tensors.get(t - 1).rowWidth();
            }
            this.seen = new boolean[tensors.size()];
        }

        @Override
        public void add(Input input) {
            String name = input.name();
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
            Datatype declared = input.datatype();
            if (declared != Datatype.of(tensor.type())) {
                throw FlywheelException.invalid("input '" + name + "' has datatype " + declared + " but model '" + modelName
                        + "' takes " + tensor + "; send datatype " + OipCodec.datatype(tensor.type()));
            }
            long[] shape = input.shape();
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
            int total = rows * width;
            int k = this.k;
            List<Feature> columns = sig.inputs();
            int count = input.read(new Slots() {
                public int limit() {
                    return total;
                }

                public Feature feature(int i) {
                    return columns.get(offset + i % width);
                }

                public int row(int i) {
                    return i / width;
                }

                public void set(int i, float value) {
                    out[(i / width) * k + offset + i % width] = value;
                }
            });
            checkCount(name, shape, count, total);
        }

        @Override
        public FeatureBatch finish() {
            for (int t = 0; t < tensors.size(); t++) {
                if (!seen[t]) {
                    throw FlywheelException.invalid("missing input '" + tensors.get(t).name() + "'; model '" + modelName
                            + "' takes the tensors " + tensors);
                }
            }
            return new FeatureBatch(rows, k, values);
        }
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

    /** One input per feature, each of shape [N] or [N,1]. */
    private static final class FeatureAssembly implements Assembly {
        private final ModelSignature sig;
        private final String modelName;
        private final int k;
        private final boolean[] seen;
        private int rows = -1;
        private String firstName;
        private float[] values;

        FeatureAssembly(ModelSignature sig, String modelName) {
            this.sig = sig;
            this.modelName = modelName;
            this.k = sig.inputs().size();
            this.seen = new boolean[k];
        }

        @Override
        public void add(Input input) {
            String name = input.name();
            int column = sig.inputIndex(name);
            if (column < 0) {
                throw FlywheelException.invalid("unknown input '" + name + "'; model '" + modelName + "' takes inputs "
                        + sig.inputNames() + " (one per feature, or one [N," + k + "] matrix)");
            }
            if (seen[column]) {
                throw FlywheelException.invalid("input '" + name + "' is given twice");
            }
            seen[column] = true;
            long[] shape = input.shape();
            input.datatype();
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
            int total = rows;
            int k = this.k;
            int count = input.read(new Slots() {
                public int limit() {
                    return total;
                }

                public Feature feature(int i) {
                    return feature;
                }

                public int row(int i) {
                    return i;
                }

                public void set(int i, float value) {
                    out[i * k + column] = value;
                }
            });
            checkCount(name, shape, count, total);
        }

        @Override
        public FeatureBatch finish() {
            for (int c = 0; c < k; c++) {
                if (!seen[c]) {
                    throw FlywheelException.invalid("missing input '" + sig.inputs().get(c).name() + "'; model '" + modelName
                            + "' takes inputs " + sig.inputNames());
                }
            }
            return new FeatureBatch(rows, k, values);
        }
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

    static Datatype datatype(JsonNode input, String name) {
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

    static int rowsOf(long n, String name) {
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

    static void checkCount(String name, long[] shape, int got, int expected) {
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
    static List<OutputTensor> tensors(ModelSignature sig, int width) {
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

    /** The output tensors a request asked for, in its order; all of them when it named none. */
    static List<OutputTensor> chosen(ServedModel m, InferRequest req, int width) {
        List<OutputTensor> all = tensors(m.spec().signature(), width);
        if (req.outputs() == null) {
            return all;
        }
        List<OutputTensor> chosen = new ArrayList<>(req.outputs().size());
        for (String name : req.outputs()) {
            OutputTensor t = all.stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow(() ->
                    FlywheelException.invalid("unknown output '" + name + "'; model '" + m.spec().modelName()
                            + "' has outputs " + all.stream().map(OutputTensor::name).toList()));
            chosen.add(t);
        }
        return chosen;
    }

    static byte[] writeInfer(ServedModel m, InferRequest req, Predictions p) {
        List<OutputTensor> tensors = chosen(m, req, p.width());
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

    /** A tensor as model metadata lists it; -1 is a dimension of any size. */
    record TensorMeta(String name, String datatype, List<Long> shape) {
    }

    static List<TensorMeta> inputMetadata(ModelSignature sig) {
        List<TensorMeta> list = new ArrayList<>();
        if (sig.hasTensors()) {
            for (TensorSpec t : sig.inputTensors()) {
                list.add(new TensorMeta(t.name(), datatype(t.type()), t.shape()));
            }
        } else {
            for (Feature f : sig.inputs()) {
                list.add(new TensorMeta(f.name(), datatype(f.type()), List.of(-1L)));
            }
        }
        return list;
    }

    static List<TensorMeta> outputMetadata(ServedModel m) {
        List<TensorMeta> list = new ArrayList<>();
        for (OutputTensor t : tensors(m.spec().signature(), m.outputWidth())) {
            List<Long> shape = new ArrayList<>(t.rowShape().size() + 1);
            shape.add(-1L);
            shape.addAll(t.rowShape());
            list.add(new TensorMeta(t.name(), datatype(t.type()), shape));
        }
        return list;
    }

    static byte[] writeMetadata(ServedModel m) {
        ModelSignature sig = m.spec().signature();
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("name", m.spec().modelName());
            g.writeArrayFieldStart("versions");
            g.writeString(m.versionText());
            g.writeEndArray();
            g.writeStringField("platform", m.spec().format());
            g.writeArrayFieldStart("inputs");
            writeTensors(g, inputMetadata(sig));
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
            writeTensors(g, outputMetadata(m));
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void writeTensors(JsonGenerator g, List<TensorMeta> tensors) throws IOException {
        for (TensorMeta t : tensors) {
            g.writeStartObject();
            g.writeStringField("name", t.name());
            g.writeStringField("datatype", t.datatype());
            g.writeArrayFieldStart("shape");
            for (long d : t.shape()) {
                g.writeNumber(d);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }
}
