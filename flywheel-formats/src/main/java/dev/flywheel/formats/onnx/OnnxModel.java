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

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/** A loaded ONNX graph; {@link OrtSession#run} is thread-safe, so one session serves all threads. */
final class OnnxModel implements LoadedModel {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final OrtSession.SessionOptions options;
    private final InputLayout layout;
    private final String output;
    private final Set<String> outputs;
    private final ModelSignature signature;
    private final String origin;
    private final int width;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Predicts one row of zeros to learn the output width, so a graph that cannot run fails at load. */
    OnnxModel(OrtEnvironment env, OrtSession session, OrtSession.SessionOptions options, InputLayout layout,
              String output, ModelSignature signature, String origin) throws OrtException {
        this.env = env;
        this.session = session;
        this.options = options;
        this.layout = layout;
        this.output = output;
        this.outputs = Set.of(output);
        this.signature = signature;
        this.origin = origin;
        int k = signature.inputs().size();
        this.width = run(new FeatureBatch(1, k, new float[k])).length;
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
        float[] values;
        try {
            values = run(batch);
        } catch (OrtException e) {
            throw new FlywheelException(ErrorCode.INTERNAL, "onnxruntime failed to predict " + batch.rows()
                    + " rows with model " + origin + ": " + NativeErrors.summary(e), e);
        }
        if (values.length != batch.rows() * width) {
            throw new FlywheelException(ErrorCode.INVALID_MODEL, "Model " + origin + " returned " + values.length
                    + " values for " + batch.rows() + " rows from output '" + output + "'; expected " + width
                    + " per row. The graph's output must have the batch as its first dimension");
        }
        return new Predictions(batch.rows(), width, values);
    }

    private float[] run(FeatureBatch batch) throws OrtException {
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try {
            switch (layout) {
                case InputLayout.SingleTensor single -> feeds.put(single.inputName(), OnnxTensor.createTensor(env,
                        FloatBuffer.wrap(batch.values()), new long[] {batch.rows(), batch.columns()}));
                case InputLayout.PerFeature perFeature -> {
                    for (int i = 0; i < perFeature.names().size(); i++) {
                        float[] column = new float[batch.rows()];
                        int c = perFeature.columns()[i];
                        for (int r = 0; r < column.length; r++) {
                            column[r] = batch.values()[r * batch.columns() + c];
                        }
                        long[] shape = perFeature.shapes().get(i).length == 1
                                ? new long[] {batch.rows()} : new long[] {batch.rows(), 1};
                        feeds.put(perFeature.names().get(i), OnnxTensor.createTensor(env, FloatBuffer.wrap(column), shape));
                    }
                }
            }
            try (OrtSession.Result result = session.run(feeds, outputs)) {
                OnnxValue value = result.get(0);
                FloatBuffer buffer = ((OnnxTensor) value).getFloatBuffer();
                float[] values = new float[buffer.remaining()];
                buffer.get(values);
                return values;
            }
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
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
        return "OnnxModel[" + origin + ", output=" + output + ", width=" + width + "]";
    }
}
