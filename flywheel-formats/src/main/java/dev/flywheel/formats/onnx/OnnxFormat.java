package dev.flywheel.formats.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import dev.flywheel.formats.GraphSignature;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.ModelFormat;
import dev.flywheel.formats.internal.NativeErrors;
import dev.flywheel.formats.internal.SignatureChecks;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.ModelSignature;
import dev.flywheel.sdk.model.TensorSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code onnx} model format, run by onnxruntime on the CPU.
 *
 * <p>Inputs: either the graph's first input is a float tensor {@code [N, k]} with {@code k} equal to the
 * signature's input count (extra inputs are not allowed), or the graph has one float input {@code [N]} or
 * {@code [N, 1]} per feature; these are matched to the signature by name when all names agree, otherwise by
 * position.
 *
 * <p>Output: the graph's <em>first float tensor output</em>, flattened per row. That is {@code variable} for
 * sklearn regressors and {@code probabilities} for sklearn classifiers exported with {@code zipmap=False}
 * (their first output, {@code label}, is int64 and is skipped).
 *
 * <p>A signature with tensors (read from the graph by {@link #describe}) is served as the graph declares it instead:
 * every input tensor is fed from its columns in its own element type, and every declared output tensor is returned,
 * one after the other in each row.
 *
 * <p>Sessions run with one intra-op and one inter-op thread: parallelism comes from concurrent requests.
 */
public final class OnnxFormat implements ModelFormat {
    public static final String NAME = "onnx";

    /** onnxruntime allows one environment per process; it is created on first load, not on discovery. */
    private static final class Shared {
        static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LoadedModel load(byte[] content, String origin, ModelSignature signature) {
        OrtEnvironment env = Shared.ENV;
        OrtSession.SessionOptions options = null;
        OrtSession session = null;
        try {
            options = new OrtSession.SessionOptions();
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = session(content, origin, options);
            OnnxModel model;
            if (signature.hasTensors()) {
                model = new OnnxModel(env, session, options, tensorLayout(session.getInputInfo(), signature, origin),
                        tensorOutputs(session.getOutputInfo(), signature, origin), signature, origin);
            } else {
                model = new OnnxModel(env, session, options, inputLayout(session.getInputInfo(), signature, origin),
                        List.of(new OnnxModel.Output(firstFloatOutput(session.getOutputInfo(), origin), Element.FLOAT)),
                        signature, origin);
            }
            SignatureChecks.requireOutputWidth(model.outputWidth(), model.signature(), origin);
            return model;
        } catch (OrtException | RuntimeException e) {
            if (session != null) {
                closeQuietly(session);
            }
            if (options != null) {
                options.close();
            }
            if (e instanceof FlywheelException fe) {
                throw fe;
            }
            throw new FlywheelException(ErrorCode.INVALID_MODEL, "Model file " + origin
                    + " loaded but cannot predict: " + NativeErrors.summary(e), e);
        }
    }

    /**
     * The graph's own tensors: every input (each must be a tensor of a numeric type Flywheel feeds), and the outputs
     * that are numeric tensors (others, such as the sequence of maps of a ZipMap, are not served).
     */
    @Override
    public Optional<GraphSignature> describe(byte[] content, String origin) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            try (OrtSession session = session(content, origin, options)) {
                List<TensorSpec> inputs = new ArrayList<>();
                for (NodeInfo n : session.getInputInfo().values()) {
                    inputs.add(new TensorSpec(n.getName(), element(n, origin, "input").featureType, dims((TensorInfo) n.getInfo())));
                }
                List<TensorSpec> outputs = new ArrayList<>();
                for (NodeInfo n : session.getOutputInfo().values()) {
                    if (n.getInfo() instanceof TensorInfo t && Element.of(t) != null) {
                        outputs.add(new TensorSpec(n.getName(), Element.of(t).featureType, dims(t)));
                    }
                }
                if (inputs.isEmpty()) {
                    throw new FlywheelException(ErrorCode.INVALID_MODEL, "Model file " + origin
                            + " has no inputs, so it cannot take features; export the model with its feature input");
                }
                if (outputs.isEmpty()) {
                    throw new FlywheelException(ErrorCode.INVALID_MODEL, "Model file " + origin + " has no numeric tensor output (outputs: "
                            + describe(session.getOutputInfo()) + "); export classifiers with zipmap=False so probabilities are a tensor");
                }
                return Optional.of(new GraphSignature(inputs, outputs));
            }
        } catch (OrtException e) {
            throw new FlywheelException(ErrorCode.INTERNAL, "onnxruntime failed on model file " + origin + ": " + NativeErrors.summary(e), e);
        }
    }

    /** A session on one intra-op and one inter-op thread; empty or unreadable bytes are INVALID_MODEL naming the file. */
    private static OrtSession session(byte[] content, String origin, OrtSession.SessionOptions options) throws OrtException {
        if (content.length == 0) {
            throw new FlywheelException(ErrorCode.INVALID_MODEL, "Model file " + origin
                    + " is empty (0 bytes); it was not written completely. Export the model to ONNX again");
        }
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        try {
            return Shared.ENV.createSession(content, options);
        } catch (OrtException e) {
            throw new FlywheelException(ErrorCode.INVALID_MODEL, "Model file " + origin + " (" + content.length
                    + " bytes) is not a readable ONNX model: " + NativeErrors.summary(e)
                    + ". Check that it is complete and was exported as an ONNX ModelProto", e);
        }
    }

    /** Graph dimensions as a signature writes them: symbolic and unknown dimensions are -1. */
    private static List<Long> dims(TensorInfo t) {
        List<Long> dims = new ArrayList<>();
        for (long d : t.getShape()) {
            dims.add(d > 0 ? d : -1L);
        }
        if (dims.isEmpty()) {
            dims.add(-1L);
        }
        return dims;
    }

    private static Element element(NodeInfo node, String origin, String side) {
        if (node.getInfo() instanceof TensorInfo t && Element.of(t) != null) {
            return Element.of(t);
        }
        throw new FlywheelException(ErrorCode.INVALID_MODEL, "Model file " + origin + " has " + side + " '" + node.getName()
                + "' of type " + typeText(node.getInfo()) + "; Flywheel serves tensors of FLOAT, DOUBLE, FLOAT16, INT8, UINT8, "
                + "INT16, INT32, INT64 and BOOL");
    }

    /** The signature's input tensors, each found in the graph with its element type and fixed dimensions. */
    private static InputLayout tensorLayout(Map<String, NodeInfo> inputs, ModelSignature signature, String origin) {
        List<InputLayout.Feed> feeds = new ArrayList<>();
        int column = 0;
        for (TensorSpec t : signature.inputTensors()) {
            NodeInfo node = inputs.get(t.name());
            if (node == null) {
                throw new FlywheelException(ErrorCode.INVALID_MODEL, "Model file " + origin + " has no input '" + t.name()
                        + "'; its inputs are " + describe(inputs) + ", but the signature declares " + signature.inputTensors());
            }
            Element element = element(node, origin, "input");
            List<Long> graph = dims((TensorInfo) node.getInfo());
            if (element.featureType != t.type() || !fits(graph, t.shape())) {
                throw new FlywheelException(ErrorCode.INVALID_MODEL, "Model file " + origin + " takes input " + new TensorSpec(t.name(),
                        element.featureType, graph) + ", but the signature declares " + t);
            }
            int width = (int) t.rowWidth();
            long[] rowShape = t.shape().subList(1, t.shape().size()).stream().mapToLong(Long::longValue).toArray();
            feeds.add(new InputLayout.Feed(t.name(), element, column, width, rowShape));
            column += width;
        }
        if (inputs.size() != feeds.size()) {
            throw new FlywheelException(ErrorCode.INVALID_MODEL, "Model file " + origin + " has inputs " + describe(inputs)
                    + ", but the signature declares " + signature.inputTensors() + "; every graph input must be fed");
        }
        return new InputLayout.Tensors(feeds);
    }

    /** A graph dimension list agrees with a declared one: same rank, and every fixed graph dimension equal. */
    private static boolean fits(List<Long> graph, List<Long> declared) {
        if (graph.size() != declared.size()) {
            return false;
        }
        for (int i = 0; i < graph.size(); i++) {
            if (graph.get(i) > 0 && !graph.get(i).equals(declared.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static List<OnnxModel.Output> tensorOutputs(Map<String, NodeInfo> outputs, ModelSignature signature, String origin) {
        List<OnnxModel.Output> chosen = new ArrayList<>();
        for (TensorSpec t : signature.outputTensors()) {
            NodeInfo node = outputs.get(t.name());
            if (node == null) {
                throw new FlywheelException(ErrorCode.INVALID_MODEL, "Model file " + origin + " has no output '" + t.name()
                        + "'; its outputs are " + describe(outputs));
            }
            chosen.add(new OnnxModel.Output(t.name(), element(node, origin, "output")));
        }
        if (chosen.isEmpty()) {
            throw new FlywheelException(ErrorCode.INVALID_MODEL, "The signature of model file " + origin + " declares no output tensor; "
                    + "its outputs are " + describe(outputs));
        }
        return chosen;
    }

    private static InputLayout inputLayout(Map<String, NodeInfo> inputs, ModelSignature signature, String origin) {
        int k = signature.inputs().size();
        if (inputs.isEmpty()) {
            throw new FlywheelException(ErrorCode.INVALID_MODEL, "Model file " + origin
                    + " has no inputs, so it cannot take features; export the model with its feature input");
        }
        List<String> names = new ArrayList<>(inputs.keySet());
        NodeInfo first = inputs.values().iterator().next();
        long[] shape = floatTensorShape(first, origin);
        if (inputs.size() == 1 && shape.length == 2) {
            if (shape[1] != k && shape[1] >= 0) {
                throw new FlywheelException(ErrorCode.INVALID_MODEL, "Model file " + origin + " takes input '"
                        + first.getName() + "' of shape " + shapeText(shape) + " (" + shape[1]
                        + " features), but its signature declares " + k + " inputs " + signature.inputNames()
                        + "; the signature must list the model's features in order");
            }
            return new InputLayout.SingleTensor(first.getName());
        }
        if (inputs.size() != k) {
            throw new FlywheelException(ErrorCode.INVALID_MODEL, "Model file " + origin + " has " + inputs.size()
                    + " inputs " + describe(inputs) + ", but its signature declares " + k + " inputs "
                    + signature.inputNames() + "; use one input [N, " + k + "] or one input per feature");
        }
        boolean byName = new HashSet<>(names).equals(new HashSet<>(signature.inputNames()));
        int[] columns = new int[k];
        List<long[]> shapes = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            NodeInfo info = inputs.get(names.get(i));
            long[] s = floatTensorShape(info, origin);
            boolean oneColumn = s.length == 1 || (s.length == 2 && (s[1] == 1 || s[1] < 0));
            if (!oneColumn) {
                throw new FlywheelException(ErrorCode.INVALID_MODEL, "Model file " + origin + " has " + k
                        + " inputs, one per feature, but input '" + info.getName() + "' has shape " + shapeText(s)
                        + "; each must be [N] or [N, 1]");
            }
            columns[i] = byName ? signature.inputIndex(info.getName()) : i;
            shapes.add(s);
        }
        return new InputLayout.PerFeature(List.copyOf(names), columns, List.copyOf(shapes));
    }

    private static long[] floatTensorShape(NodeInfo node, String origin) {
        ValueInfo info = node.getInfo();
        if (!(info instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) {
            throw new FlywheelException(ErrorCode.INVALID_MODEL, "Model file " + origin + " has input '"
                    + node.getName() + "' of type " + typeText(info) + ", but Flywheel feeds float32 features; "
                    + "export the model with float inputs (for skl2onnx: FloatTensorType)");
        }
        return t.getShape();
    }

    private static String firstFloatOutput(Map<String, NodeInfo> outputs, String origin) {
        for (NodeInfo node : outputs.values()) {
            if (node.getInfo() instanceof TensorInfo t && t.type == OnnxJavaType.FLOAT) {
                return node.getName();
            }
        }
        throw new FlywheelException(ErrorCode.INVALID_MODEL, "Model file " + origin
                + " has no float tensor output (outputs: " + describe(outputs) + "); Flywheel returns the first "
                + "float tensor output. Export classifiers with zipmap=False so probabilities are a tensor");
    }

    private static String describe(Map<String, NodeInfo> nodes) {
        List<String> parts = new ArrayList<>();
        for (NodeInfo n : nodes.values()) {
            parts.add(n.getName() + " " + typeText(n.getInfo()));
        }
        return parts.toString();
    }

    private static String typeText(ValueInfo info) {
        if (info instanceof TensorInfo t) {
            return t.type + " tensor " + shapeText(t.getShape());
        }
        return info.getClass().getSimpleName().replace("Info", "").toLowerCase(java.util.Locale.ROOT);
    }

    private static String shapeText(long[] shape) {
        return Arrays.toString(Arrays.stream(shape).mapToObj(d -> d < 0 ? "N" : Long.toString(d)).toArray());
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // The load already failed; its error is the one the user needs.
        }
    }
}
