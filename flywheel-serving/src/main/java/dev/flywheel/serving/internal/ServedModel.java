package dev.flywheel.serving.internal;

import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.Predictions;
import dev.flywheel.predictionlog.LogSchema;
import io.micrometer.core.instrument.DistributionSummary;
import dev.flywheel.serving.api.ModelVersionSpec;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loaded model version plus a reference count. The slot holds one reference; each request holds one while
 * it runs. The model is closed when the last reference goes, so a swapped-out version finishes its in-flight
 * requests before its native memory is freed.
 */
public final class ServedModel {
    private final ModelVersionSpec spec;
    private final LoadedModel model;
    private final int outputWidth;
    private final String versionText;
    private final Instant loadedAt;
    private final EndpointMeters meters;
    private final LogSchema logSchema;
    /** Joins concurrent requests into one model call, or null when batching is off. */
    private final Batcher batcher;
    private final DistributionSummary rowsPerCall;
    private final AtomicInteger references = new AtomicInteger(1);

    ServedModel(ModelVersionSpec spec, LoadedModel model, int outputWidth, Instant loadedAt, EndpointMeters meters,
                Batcher batcher, DistributionSummary rowsPerCall) {
        this.batcher = batcher;
        this.rowsPerCall = rowsPerCall;
        this.spec = spec;
        this.model = model;
        this.outputWidth = outputWidth;
        this.versionText = Integer.toString(spec.version());
        this.loadedAt = loadedAt;
        this.meters = meters;
        this.logSchema = logSchema(spec, outputWidth);
    }

    /** The prediction log's columns: the signature's input names, its output names when they match the width. */
    private static LogSchema logSchema(ModelVersionSpec spec, int width) {
        var sig = spec.signature();
        var outputs = sig.outputs().size() == width
                ? sig.outputs().stream().map(dev.flywheel.sdk.model.Feature::name).toList()
                : LogSchema.predictionColumns(width);
        try {
            return new LogSchema(spec.modelName(), spec.version(), sig.inputNames(), outputs);
        } catch (IllegalArgumentException e) {
            return new LogSchema(spec.modelName(), spec.version(), sig.inputNames(), LogSchema.predictionColumns(width));
        }
    }

    /** The columns this version's requests are logged with. */
    public LogSchema logSchema() {
        return logSchema;
    }

    public ModelVersionSpec spec() {
        return spec;
    }

    public LoadedModel model() {
        return model;
    }

    /** Values per row the model returns, learned from the warm-up prediction. */
    public int outputWidth() {
        return outputWidth;
    }

    /** Scores {@code batch}: alone, or joined with concurrent requests when batching is on. */
    Predictions predict(FeatureBatch batch) {
        if (batcher != null) {
            return batcher.predict(batch);
        }
        rowsPerCall.record(batch.rows());
        return model.predict(batch);
    }

    public String versionText() {
        return versionText;
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    EndpointMeters meters() {
        return meters;
    }

    /** Takes a reference unless the model is already closed (then the caller must look again). */
    boolean tryAcquire() {
        for (;;) {
            int n = references.get();
            if (n == 0) {
                return false;
            }
            if (references.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Drops a reference; the last one closes the model. */
    void release() {
        if (references.decrementAndGet() == 0) {
            model.close();
        }
    }

    /** References held right now, including the slot's own while this version is current. */
    int references() {
        return references.get();
    }
}
