package dev.flywheel.sdk.model;

/**
 * The element type of a model input or output, named as in the Open Inference Protocol v2. Values travel to the
 * model as 32-bit floats, so every type's values are checked against its own range (and FP32's) when they arrive.
 */
public enum FeatureType {
    FP32, FP64, INT32, INT64, BOOL, BYTES, FP16, INT8, INT16, UINT8, UINT16, UINT32, UINT64
}
