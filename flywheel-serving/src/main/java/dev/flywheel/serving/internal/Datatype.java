package dev.flywheel.serving.internal;

import dev.flywheel.sdk.model.FeatureType;

import java.math.BigInteger;

/**
 * The numeric tensor datatypes of the Open Inference Protocol and the values each can hold. A value is checked
 * against the datatype a request declares and against its feature's type; outside either it is refused.
 */
enum Datatype {
    BOOL("0 or 1 (or true/false)"),
    UINT8("whole numbers 0..255"),
    UINT16("whole numbers 0..65535"),
    UINT32("whole numbers 0..4294967295"),
    UINT64("whole numbers 0..18446744073709551615"),
    INT8("whole numbers -128..127"),
    INT16("whole numbers -32768..32767"),
    INT32("whole numbers -2147483648..2147483647"),
    INT64("whole numbers -9223372036854775808..9223372036854775807"),
    FP16("finite numbers within ±65504"),
    FP32("finite numbers within ±3.4028235e38"),
    FP64("finite numbers within ±1.7976931348623157e308");

    private static final BigInteger UINT64_END = BigInteger.ONE.shiftLeft(64);
    private static final double TWO_63 = 0x1p63;
    private static final double TWO_64 = 0x1p64;

    /** What the datatype holds, for error messages. */
    final String holds;

    Datatype(String holds) {
        this.holds = holds;
    }

    /** The OIP name, or {@code null} when {@code name} is not a numeric datatype. */
    static Datatype parse(String name) {
        for (Datatype t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    static Datatype of(FeatureType type) {
        return switch (type) {
            case BOOL -> BOOL;
            case UINT8 -> UINT8;
            case UINT16 -> UINT16;
            case UINT32 -> UINT32;
            case UINT64 -> UINT64;
            case INT8 -> INT8;
            case INT16 -> INT16;
            case INT32 -> INT32;
            case INT64 -> INT64;
            case FP16 -> FP16;
            case FP32 -> FP32;
            case FP64 -> FP64;
            // BYTES models are refused at load; a BYTES feature is never asked for a range.
            case BYTES -> FP64;
        };
    }

    boolean integral() {
        return switch (this) {
            case BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64 -> true;
            case FP16, FP32, FP64 -> false;
        };
    }

    /** Whether a finite double {@code d} is a value of this datatype (whole for integer types, within range). */
    boolean holds(double d) {
        if (integral() && d != Math.rint(d)) {
            return false;
        }
        return switch (this) {
            case BOOL -> d == 0 || d == 1;
            case UINT8 -> d >= 0 && d <= 255;
            case UINT16 -> d >= 0 && d <= 65535;
            case UINT32 -> d >= 0 && d <= 4294967295.0;
            case UINT64 -> d >= 0 && d < TWO_64;
            case INT8 -> d >= -128 && d <= 127;
            case INT16 -> d >= -32768 && d <= 32767;
            case INT32 -> d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE;
            case INT64 -> d >= -TWO_63 && d < TWO_63;
            // A value that rounds to the type's largest finite value fits; one that rounds to infinity does not.
            case FP16 -> Float.isFinite(Float.float16ToFloat(Float.floatToFloat16((float) d)));
            case FP32 -> Float.isFinite((float) d);
            case FP64 -> Double.isFinite(d);
        };
    }

    /** Whether the whole number {@code v} is a value of this datatype; exact for the 64-bit integer types. */
    boolean holds(long v) {
        return switch (this) {
            case INT64 -> true;
            case UINT64 -> v >= 0;
            case BOOL, UINT8, UINT16, UINT32, INT8, INT16, INT32, FP16, FP32, FP64 -> holds((double) v);
        };
    }

    /** Whether a whole number beyond the long range is a value of this datatype. */
    boolean holds(BigInteger v) {
        return switch (this) {
            case UINT64 -> v.signum() >= 0 && v.compareTo(UINT64_END) < 0;
            case BOOL, UINT8, UINT16, UINT32, INT8, INT16, INT32, INT64 -> false;
            case FP16, FP32, FP64 -> holds(v.doubleValue());
        };
    }
}
