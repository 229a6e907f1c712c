package dev.flywheel.serving.testmodel;

import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.ModelFormat;
import dev.flywheel.formats.Predictions;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.ModelSignature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real (if small) model format for tests: a text file {@code bias=..., weights=w1,w2,..., delay-ms=...,
 * classes=...} whose model predicts {@code bias + sum(w_i * x_i)} (or, with {@code classes=c}, that value plus
 * 0..c-1 in c columns; with {@code fail-every=n}, every n-th prediction throws). Tests compute the expected answers themselves.
 */
public final class LinearFormat implements ModelFormat {
    /** Models loaded and not yet closed, to check that swapped-out versions are closed. */
    public static final AtomicInteger OPEN = new AtomicInteger();
    /** Predictions inside their {@code delay-ms} right now, to know a slow request has reached the model. */
    public static final AtomicInteger DELAYED = new AtomicInteger();

    @Override
    public String name() {
        return "linear";
    }

    @Override
    public LoadedModel load(byte[] content, String origin, ModelSignature signature) {
        return parse(new String(content, java.nio.charset.StandardCharsets.UTF_8).lines().toList(), origin, signature);
    }

    @Override
    public LoadedModel load(Path file, ModelSignature signature) {
        try {
            return parse(Files.readAllLines(file), file.toString(), signature);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static LoadedModel parse(java.util.List<String> lines, String file, ModelSignature signature) {
        Map<String, String> props = new HashMap<>();
        {
            for (String line : lines) {
                if (line.isBlank()) {
                    continue;
                }
                int eq = line.indexOf('=');
                if (eq < 0) {
                    throw new FlywheelException(ErrorCode.INVALID_MODEL, "corrupt linear model " + file
                            + ": line '" + line + "' is not key=value");
                }
                props.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        try {
            float bias = Float.parseFloat(props.getOrDefault("bias", "0"));
            String[] parts = props.getOrDefault("weights", "").split(",");
            float[] weights = new float[parts.length];
            for (int i = 0; i < parts.length; i++) {
                weights[i] = Float.parseFloat(parts[i].strip());
            }
            if (weights.length != signature.inputs().size()) {
                throw new FlywheelException(ErrorCode.INVALID_MODEL, "linear model " + file + " has " + weights.length
                        + " weights but the signature has " + signature.inputs().size() + " inputs");
            }
            long delay = Long.parseLong(props.getOrDefault("delay-ms", "0"));
            int classes = Integer.parseInt(props.getOrDefault("classes", "1"));
            int failEvery = Integer.parseInt(props.getOrDefault("fail-every", "0"));
            OPEN.incrementAndGet();
            return new Linear(signature, bias, weights, delay, classes, failEvery);
        } catch (NumberFormatException e) {
            throw new FlywheelException(ErrorCode.INVALID_MODEL, "corrupt linear model " + file + ": " + e.getMessage());
        }
    }

    private static final class Linear implements LoadedModel {
        private final ModelSignature signature;
        private final float bias;
        private final float[] weights;
        private final long delayMillis;
        private final int classes;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final int failEvery;
        private final AtomicInteger calls = new AtomicInteger();

        Linear(ModelSignature signature, float bias, float[] weights, long delayMillis, int classes, int failEvery) {
            this.failEvery = failEvery;
            this.signature = signature;
            this.bias = bias;
            this.weights = weights;
            this.delayMillis = delayMillis;
            this.classes = classes;
        }

        @Override
        public ModelSignature signature() {
            return signature;
        }

        @Override
        public int outputWidth() {
            return classes;
        }

        @Override
        public Predictions predict(FeatureBatch batch) {
            if (closed.get()) {
                throw new IllegalStateException("predict called on a closed model");
            }
            if (failEvery > 0 && calls.incrementAndGet() % failEvery == 0) {
                throw new IllegalStateException("a flaky model: every " + failEvery + "th prediction fails");
            }
            if (delayMillis > 0) {
                DELAYED.incrementAndGet();
                try {
                    Thread.sleep(delayMillis); // simulates a slow model, to hold requests in flight
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    DELAYED.decrementAndGet();
                }
            }
            float[] out = new float[batch.rows() * classes];
            for (int r = 0; r < batch.rows(); r++) {
                float y = bias;
                for (int c = 0; c < weights.length; c++) {
                    float x = batch.get(r, c);
                    y += weights[c] * (Float.isNaN(x) ? 0f : x);
                }
                for (int k = 0; k < classes; k++) {
                    out[r * classes + k] = y + k;
                }
            }
            if (closed.get()) {
                throw new IllegalStateException("model closed during predict");
            }
            return new Predictions(batch.rows(), classes, out);
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                OPEN.decrementAndGet();
            }
        }
    }
}
