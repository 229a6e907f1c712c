package dev.flywheel.formats.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.Predictions;
import dev.flywheel.formats.internal.NativeErrors;
import dev.flywheel.formats.internal.SignatureChecks;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.ModelSignature;
import dev.flywheel.sdk.model.TensorSpec;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A loaded ONNX graph; {@link OrtSession#run} is thread-safe, so one session serves all threads. Each predicted row
 * holds the values of every chosen output, one output after the other.
 */
final class OnnxModel implements LoadedModel {
    /** A graph output returned with each row, and how its values are read. */
    record Output(String name, Element element) {
    }

    private final OrtEnvironment env;
    private final OrtSession session;
    private final OrtSession.SessionOptions options;
    private final InputLayout layout;
    private final List<Output> outputs;
    private final Set<String> outputNames;
    private final ModelSignature signature;
    private final String origin;
    private final int[] widths;
    private final int width;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Predicts a row of zeros to learn each output's width, so a graph that cannot run fails at load; for the graph's
     * own tensors a second probe of two rows checks that every output has the batch as its first dimension.
     */
    OnnxModel(OrtEnvironment env, OrtSession session, OrtSession.SessionOptions options, InputLayout layout,
              List<Output> outputs, ModelSignature signature, String origin) throws OrtException {
        this.env = env;
        this.session = session;
        this.options = options;
        this.layout = layout;
        this.outputs = List.copyOf(outputs);
        Set<String> names = new LinkedHashSet<>();
        outputs.forEach(o -> names.add(o.name()));
        this.outputNames = names;
        this.origin = origin;
        int k = signature.inputs().size();
        float[][] one = run(new FeatureBatch(1, k, new float[k]));
        this.widths = new int[one.length];
        int total = 0;
        for (int i = 0; i < one.length; i++) {
            widths[i] = one[i].length;
            total += widths[i];
        }
        this.width = total;
        if (layout instanceof InputLayout.Tensors && signature.inputTensors().stream().allMatch(t -> t.shape().get(0) < 0)) {
            float[][] two = run(new FeatureBatch(2, k, new float[2 * k]));
            for (int i = 0; i < two.length; i++) {
                if (two[i].length != 2 * widths[i]) {
                    throw new FlywheelException(ErrorCode.INVALID_MODEL, "Model file " + origin + " returns " + two[i].length
                            + " values of output '" + outputs.get(i).name() + "' for 2 rows and " + widths[i]
                            + " for 1; Flywheel serves outputs whose first dimension is the batch");
                }
            }
        }
        this.signature = layout instanceof InputLayout.Tensors ? resolved(signature, widths) : signature;
    }

    /** The signature with each output tensor's row shape fixed by the probe, and output columns named if none were. */
    private static ModelSignature resolved(ModelSignature declared, int[] widths) {
        List<TensorSpec> outs = new ArrayList<>();
        for (int i = 0; i < widths.length; i++) {
            TensorSpec t = declared.outputTensors().get(i);
            if (t.rowWidth() == widths[i]) {
                outs.add(t);
            } else {
                outs.add(new TensorSpec(t.name(), t.type(), widths[i] == 1 && t.shape().size() == 1
                        ? List.of(-1L) : List.of(-1L, (long) widths[i])));
            }
        }
        ModelSignature own = ModelSignature.ofTensors(declared.inputTensors(), outs);
        return new ModelSignature(declared.inputs(), declared.outputs().isEmpty() ? own.outputs() : declared.outputs(),
                declared.inputTensors(), outs);
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public int outputWidth() {
        return width;
    }

    @Override
    public Predictions predict(FeatureBatch batch) {
        if (closed.get()) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Model " + origin + " was closed; load it again");
        }
        SignatureChecks.requireBatchFits(batch, signature, origin);
        if (batch.rows() == 0) {
            return new Predictions(0, width, new float[0]);
        }
        float[][] values;
        try {
            values = run(batch);
        } catch (OrtException e) {
            throw new FlywheelException(ErrorCode.INTERNAL, "onnxruntime failed to predict " + batch.rows()
                    + " rows with model " + origin + ": " + NativeErrors.summary(e), e);
        }
        int rows = batch.rows();
        for (int i = 0; i < values.length; i++) {
            if (values[i].length != rows * widths[i]) {
                throw new FlywheelException(ErrorCode.INVALID_MODEL, "Model " + origin + " returned " + values[i].length
                        + " values for " + rows + " rows from output '" + outputs.get(i).name() + "'; expected " + widths[i]
                        + " per row. The graph's output must have the batch as its first dimension");
            }
        }
        if (values.length == 1) {
            return new Predictions(rows, width, values[0]);
        }
        float[] joined = new float[rows * width];
        int column = 0;
        for (int i = 0; i < values.length; i++) {
            int w = widths[i];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(values[i], r * w, joined, r * width + column, w);
            }
            column += w;
        }
        return new Predictions(rows, width, joined);
    }

    /** Each chosen output's values, row-major. */
    private float[][] run(FeatureBatch batch) throws OrtException {
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try {
            switch (layout) {
                case InputLayout.SingleTensor single -> feeds.put(single.inputName(), OnnxTensor.createTensor(env,
                        FloatBuffer.wrap(batch.values()), new long[] {batch.rows(), batch.columns()}));
                case InputLayout.PerFeature perFeature -> {
                    for (int i = 0; i < perFeature.names().size(); i++) {
                        long[] shape = perFeature.shapes().get(i).length == 1
                                ? new long[] {batch.rows()} : new long[] {batch.rows(), 1};
                        feeds.put(perFeature.names().get(i), Element.FLOAT.tensor(env,
                                columns(batch, perFeature.columns()[i], 1), shape));
                    }
                }
                case InputLayout.Tensors tensors -> {
                    for (InputLayout.Feed feed : tensors.feeds()) {
                        long[] shape = new long[feed.rowShape().length + 1];
                        shape[0] = batch.rows();
                        System.arraycopy(feed.rowShape(), 0, shape, 1, feed.rowShape().length);
                        float[] values = feed.columns() == batch.columns() ? batch.values()
                                : columns(batch, feed.firstColumn(), feed.columns());
                        feeds.put(feed.name(), feed.element().tensor(env, values, shape));
                    }
                }
            }
            try (OrtSession.Result result = session.run(feeds, outputNames)) {
                float[][] values = new float[outputs.size()][];
                for (int i = 0; i < values.length; i++) {
                    OnnxValue value = result.get(outputs.get(i).name()).orElseThrow();
                    values[i] = outputs.get(i).element().read((OnnxTensor) value);
                }
                return values;
            }
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    /** {@code count} consecutive columns of every row, starting at {@code first}, row-major. */
    private static float[] columns(FeatureBatch batch, int first, int count) {
        float[] out = new float[batch.rows() * count];
        float[] in = batch.values();
        for (int r = 0; r < batch.rows(); r++) {
            System.arraycopy(in, r * batch.columns() + first, out, r * count, count);
        }
        return out;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                session.close();
            } catch (OrtException e) {
                throw new FlywheelException(ErrorCode.INTERNAL, "onnxruntime failed to close model " + origin
                        + ": " + NativeErrors.summary(e), e);
            } finally {
                options.close();
            }
        }
    }

    @Override
    public String toString() {
        return "OnnxModel[" + origin + ", outputs=" + outputNames + ", width=" + width + "]";
    }
}
