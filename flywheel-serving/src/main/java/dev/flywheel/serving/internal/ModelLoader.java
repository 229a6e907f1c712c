package dev.flywheel.serving.internal;

import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.ModelChecksum;
import dev.flywheel.formats.ModelFormat;
import dev.flywheel.formats.ModelFormats;
import dev.flywheel.formats.Predictions;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.Feature;
import dev.flywheel.sdk.model.FeatureType;
import dev.flywheel.serving.api.ModelVersionSpec;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;

/**
 * Loads a model version and proves it can answer before it is served: the file must exist, its bytes must have the
 * sha256 the registry recorded (when the spec carries one), the format must load it, and a warm-up prediction on a
 * row of zeros must return one row. Anything else is an {@code INVALID_MODEL} error naming the file, and nothing is
 * left open.
 */
public final class ModelLoader {
    private final ModelFormats formats;
    private final MeterRegistry registry;
    private final Clock clock;
    private final BatchSettings batching;

    public ModelLoader(ModelFormats formats, MeterRegistry registry, Clock clock) {
        this(formats, registry, clock, BatchSettings.OFF);
    }

    public ModelLoader(ModelFormats formats, MeterRegistry registry, Clock clock, BatchSettings batching) {
        this.formats = formats;
        this.registry = registry;
        this.clock = clock;
        this.batching = batching;
    }

    public ServedModel load(ModelVersionSpec spec) {
        for (Feature f : spec.signature().inputs()) {
            if (f.type() == FeatureType.BYTES) {
                throw new FlywheelException(ErrorCode.INVALID_MODEL, "input '" + f.name() + "' of model '"
                        + spec.modelName() + "' is BYTES; this server feeds tabular models numeric columns only "
                        + "(encode the feature as a number in the pipeline)");
            }
        }
        ModelFormat format;
        try {
            format = formats.get(spec.format());
        } catch (FlywheelException unknown) {
            // an unknown format is a bad request to this server, not a missing resource
            throw new FlywheelException(ErrorCode.INVALID_ARGUMENT, unknown.getMessage());
        }
        if (!Files.isRegularFile(spec.modelFile())) {
            throw new FlywheelException(ErrorCode.INVALID_MODEL, "model file " + spec.modelFile().toAbsolutePath()
                    + " for '" + spec.modelName() + "' version " + spec.version() + " does not exist or is not a file");
        }
        byte[] content;
        try {
            content = Files.readAllBytes(spec.modelFile());
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.INVALID_MODEL, "model file " + spec.modelFile().toAbsolutePath()
                    + " for '" + spec.modelName() + "' version " + spec.version() + " cannot be read: " + e.getMessage(), e);
        }
        // The bytes checked are the bytes loaded: no window for the file to change in between.
        if (spec.sha256() != null) {
            ModelChecksum.verify(content, spec.sha256(), spec.modelName(), spec.version(), spec.modelFile().toAbsolutePath().toString());
        }
        LoadedModel model;
        try {
            model = format.load(content, spec.modelFile().toAbsolutePath().toString(), spec.signature());
        } catch (FlywheelException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new FlywheelException(ErrorCode.INVALID_MODEL, "format '" + spec.format() + "' could not load "
                    + spec.modelFile().toAbsolutePath() + ": " + e.getMessage(), e);
        }
        try {
            int width = warmUp(spec, model);
            DistributionSummary rowsPerCall = DistributionSummary.builder("flywheel.serving.model.call.rows")
                    .description("Rows per model call (above 1 for many-row requests, or when batching joins requests)")
                    .tags("model", spec.modelName(), "version", Integer.toString(spec.version()))
                    .register(registry);
            Batcher batcher = batching.on()
                    ? new Batcher(model, batching.maxRows(), batching.maxWaitMicros() * 1_000L, rowsPerCall) : null;
            return new ServedModel(spec, model, width, clock.instant(),
                    new EndpointMeters(registry, spec.modelName(), spec.version()), batcher, rowsPerCall);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static int warmUp(ModelVersionSpec spec, LoadedModel model) {
        int columns = spec.signature().inputs().size();
        Predictions p;
        try {
            p = model.predict(new FeatureBatch(1, columns, new float[columns]));
        } catch (RuntimeException e) {
            throw new FlywheelException(ErrorCode.INVALID_MODEL, "warm-up prediction of " + spec.modelFile().toAbsolutePath()
                    + " on a row of zeros failed: " + e.getMessage(), e);
        }
        int outputs = spec.signature().outputs().size();
        if (p == null || p.rows() != 1 || p.width() < 1) {
            throw new FlywheelException(ErrorCode.INVALID_MODEL, "warm-up prediction of " + spec.modelFile().toAbsolutePath()
                    + " returned " + (p == null ? "nothing" : p.rows() + " rows of width " + p.width())
                    + " for one input row");
        }
        if (outputs > 1 && p.width() != outputs) {
            throw new FlywheelException(ErrorCode.INVALID_MODEL, "model " + spec.modelFile().toAbsolutePath() + " returns "
                    + p.width() + " values per row but its signature declares " + outputs + " outputs "
                    + spec.signature().outputs().stream().map(Feature::name).toList());
        }
        return p.width();
    }
}
