package dev.flywheel.formats.internal;

import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.Feature;
import dev.flywheel.sdk.model.ModelSignature;

import java.util.List;

/** The checks every format makes the same way, so their errors read the same. */
public final class SignatureChecks {
    private SignatureChecks() {
    }

    /** Rejects a batch whose width is not the signature's input count, before it reaches native code. */
    public static void requireBatchFits(FeatureBatch batch, ModelSignature signature, String origin) {
        if (batch.columns() != signature.inputs().size()) {
            throw new FlywheelException(ErrorCode.INVALID_ARGUMENT, "A batch of " + batch.columns()
                    + " columns was sent to model " + origin + ", which takes " + signature.inputs().size()
                    + " inputs " + signature.inputNames() + "; send one column per input, in that order");
        }
    }

    /** Rejects a model whose per-row output width differs from a signature that declares its outputs. */
    public static void requireOutputWidth(int width, ModelSignature signature, String origin) {
        List<Feature> outputs = signature.outputs();
        if (!outputs.isEmpty() && outputs.size() != width) {
            throw new FlywheelException(ErrorCode.INVALID_MODEL, "Model " + origin + " produces " + width
                    + " values per row, but its signature declares " + outputs.size() + " outputs "
                    + outputs.stream().map(Feature::name).toList()
                    + "; declare one output per value (one per class for class probabilities) or leave outputs empty");
        }
    }
}
