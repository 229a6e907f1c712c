package dev.flywheel.sdk.model;

/** The element type of a model input or output, named as in the Open Inference Protocol v2. */
public enum FeatureType {
    FP32, FP64, INT32, INT64, BOOL, BYTES
}
