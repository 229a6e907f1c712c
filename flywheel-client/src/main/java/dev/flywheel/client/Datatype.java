package dev.flywheel.client;

/** The tensor element types of the Open Inference Protocol v2 (KServe/Triton), by their protocol names. */
public enum Datatype {
    BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES;

    /** Integer types: their values are held as {@code long}. */
    public boolean isInteger() {
        return switch (this) {
            case UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64 -> true;
            case BOOL, FP16, FP32, FP64, BYTES -> false;
        };
    }
}
