package dev.flywheel.testdb;

import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.ModelFormat;
import dev.flywheel.formats.Predictions;
import dev.flywheel.sdk.model.ModelSignature;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A model format for tests of live traffic (registered by each test module in its META-INF/services, found by
 * ServiceLoader in the test class path, which the servers and supervisors a test deploys inherit): a text file
 * {@code value=V fail-every=N} whose model answers V for every row and throws on every N-th prediction after its
 * warm-up, as a challenger that errors on a share of live requests does.
 */
public final class FlakyFormat implements ModelFormat {
    @Override
    public String name() {
        return "flaky";
    }

    @Override
    public LoadedModel load(byte[] content, String origin, ModelSignature signature) {
        float value = 0;
        int failEvery = 0;
        for (String line : new String(content, StandardCharsets.UTF_8).split("\\s+")) {
            if (line.startsWith("value=")) {
                value = Float.parseFloat(line.substring(6));
            } else if (line.startsWith("fail-every=")) {
                failEvery = Integer.parseInt(line.substring(11));
            }
        }
        float answer = value;
        int every = failEvery;
        AtomicLong calls = new AtomicLong();
        return new LoadedModel() {
            @Override
            public ModelSignature signature() {
                return signature;
            }

            @Override
            public int outputWidth() {
                return 1;
            }

            @Override
            public Predictions predict(FeatureBatch batch) {
                // call 1 is the warm-up, which must pass for the version to load
                if (every > 0 && calls.incrementAndGet() % every == 0) {
                    throw new IllegalStateException("flaky model: prediction " + calls.get() + " fails");
                }
                float[] out = new float[batch.rows()];
                java.util.Arrays.fill(out, answer);
                return new Predictions(batch.rows(), 1, out);
            }

            @Override
            public void close() {
            }
        };
    }
}
