package dev.flywheel.formats.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.ModelFormat;
import dev.flywheel.formats.internal.NativeErrors;
import dev.flywheel.formats.internal.SignatureChecks;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.ModelSignature;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

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
        if (content.length == 0) {
            throw new FlywheelException(ErrorCode.INVALID_MODEL, "Model file " + origin
                    + " is empty (0 bytes); it was not written completely. Export the model to ONNX again");
        }
        OrtEnvironment env = Shared.ENV;
        OrtSession.SessionOptions options = null;
        OrtSession session = null;
        try {
            options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try {
                session = env.createSession(content, options);
            } catch (OrtException e) {
                throw new FlywheelException(ErrorCode.INVALID_MODEL, "Model file " + origin + " (" + content.length
                        + " bytes) is not a readable ONNX model: " + NativeErrors.summary(e)
                        + ". Check that it is complete and was exported as an ONNX ModelProto", e);
            }
            InputLayout layout = inputLayout(session.getInputInfo(), signature, origin);
            String output = firstFloatOutput(session.getOutputInfo(), origin);
            OnnxModel model = new OnnxModel(env, session, options, layout, output, signature, origin);
            SignatureChecks.requireOutputWidth(model.outputWidth(), signature, origin);
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
