package dev.flywheel.serving.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.Feature;
import dev.flywheel.sdk.model.FeatureType;

import java.io.IOException;
import java.math.BigInteger;

/**
 * Turns one JSON or CSV cell into the float the model reads, checked against its feature and, for OIP, the datatype
 * the request declares: NaN only where the feature is nullable (it means missing), never an infinity (JSON
 * {@code Infinity} or {@code 1e999}), never a value outside either type's range, and never one that is not a finite
 * 32-bit float, since that is what the model reads. Error messages are built only on the failure path, so the
 * request path does not format strings.
 */
final class Cells {
    private Cells() {
    }

    /** Where a cell came from, for error messages: {@code describe(row)} is called only when a cell is bad. */
    interface Where {
        String describe(int row);
    }

    /**
     * @param declared the datatype the request declares for this cell's tensor, or {@code null} (MLflow inputs)
     */
    static float fromJson(JsonNode v, Feature f, Datatype declared, int row, Where where) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return missing("null", f, row, where);
        }
        if (v.isNumber()) {
            if (v.isIntegralNumber()) {
                return v.canConvertToLong() ? whole(v.longValue(), f, declared, row, where)
                        : huge(v.bigIntegerValue(), f, declared, row, where);
            }
            return real(v.doubleValue(), f, declared, row, where);
        }
        if (v.isBoolean()) {
            if (f.type() == FeatureType.BOOL || declared == Datatype.BOOL) {
                return v.booleanValue() ? 1f : 0f;
            }
            throw bad("boolean " + v.booleanValue(), f, row, where, "send a number");
        }
        if (v.isTextual()) {
            throw bad("string \"" + abbreviate(v.textValue()) + "\"", f, row, where, "send a JSON number, not a string");
        }
        throw bad(v.isArray() ? "an array" : "an object", f, row, where, "send one number per cell");
    }

    /**
     * The cell at a streaming parser's current token {@code t}, with the same checks and messages as
     * {@link #fromJson}: a JSON number is read as the tree would hold it (a long, a BigInteger beyond the long range,
     * or a double), so both readers give the same float.
     */
    static float fromToken(JsonParser p, JsonToken t, Feature f, Datatype declared, int row, Where where) throws IOException {
        switch (t) {
            case VALUE_NUMBER_INT -> {
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? huge(p.getBigIntegerValue(), f, declared, row, where)
                        : whole(p.getLongValue(), f, declared, row, where);
            }
            case VALUE_NUMBER_FLOAT -> {
                return real(p.getDoubleValue(), f, declared, row, where);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return fromBool(t == JsonToken.VALUE_TRUE, f, declared, row, where);
            }
            case VALUE_NULL -> {
                return missing("null", f, row, where);
            }
            case VALUE_STRING -> throw bad("string \"" + abbreviate(p.getText()) + "\"", f, row, where,
                    "send a JSON number, not a string");
            default -> throw bad(t == JsonToken.START_ARRAY ? "an array" : "an object", f, row, where, "send one number per cell");
        }
    }

    /** A protobuf floating-point value (FP32, FP64 or FP16 contents); NaN is a missing value. */
    static float fromDouble(double d, Feature f, Datatype declared, int row, Where where) {
        return real(d, f, declared, row, where);
    }

    /** A protobuf signed whole value (INT8..INT64, UINT8..UINT32 contents). */
    static float fromLong(long v, Feature f, Datatype declared, int row, Where where) {
        return whole(v, f, declared, row, where);
    }

    /** A protobuf UINT64 value: its 64 bits read unsigned. */
    static float fromUnsigned64(long bits, Feature f, Datatype declared, int row, Where where) {
        return bits >= 0 ? whole(bits, f, declared, row, where)
                : huge(new BigInteger(Long.toUnsignedString(bits)), f, declared, row, where);
    }

    /** A protobuf BOOL value; as in JSON, taken only by a BOOL feature or a BOOL tensor. */
    static float fromBool(boolean b, Feature f, Datatype declared, int row, Where where) {
        if (f.type() == FeatureType.BOOL || declared == Datatype.BOOL) {
            return b ? 1f : 0f;
        }
        throw bad("boolean " + b, f, row, where, "send a number");
    }

    static float fromText(String cell, Feature f, int row, Where where) {
        String s = cell.strip();
        if (s.isEmpty() || s.equalsIgnoreCase("null") || s.equalsIgnoreCase("nan")) {
            return missing(s.isEmpty() ? "empty" : s, f, row, where);
        }
        if (f.type() == FeatureType.BOOL && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return s.equalsIgnoreCase("true") ? 1f : 0f;
        }
        String unsigned = s.charAt(0) == '-' || s.charAt(0) == '+' ? s.substring(1) : s;
        if (unsigned.equalsIgnoreCase("inf") || unsigned.equalsIgnoreCase("infinity")) {
            throw notFinite(s, f, row, where);
        }
        switch (numberShape(s)) {
            case WHOLE -> {
                try {
                    return whole(Long.parseLong(s.charAt(0) == '+' ? s.substring(1) : s), f, null, row, where);
                } catch (NumberFormatException tooLong) {
                    return huge(new BigInteger(s), f, null, row, where);
                }
            }
            case DECIMAL -> {
                return real(Double.parseDouble(s), f, null, row, where);
            }
            case NOT_A_NUMBER -> throw bad("\"" + abbreviate(s) + "\"", f, row, where, "it is not a number");
        }
        throw new IllegalStateException("unreachable");
    }

    private static float missing(String what, Feature f, int row, Where where) {
        if (f.nullable()) {
            return Float.NaN;
        }
        throw bad(what, f, row, where, "the feature is not nullable; send a number");
    }

    private static float real(double d, Feature f, Datatype declared, int row, Where where) {
        if (Double.isNaN(d)) {
            return missing("NaN", f, row, where);
        }
        if (Double.isInfinite(d)) {
            throw notFinite(Double.toString(d), f, row, where);
        }
        check(declared != null && !declared.holds(d), Double.toString(d), declared, f, row, where);
        Datatype own = Datatype.of(f.type());
        check(!own.holds(d), Double.toString(d), own, f, row, where);
        check(!Datatype.FP32.holds(d), Double.toString(d), Datatype.FP32, f, row, where);
        return (float) d;
    }

    private static float whole(long v, Feature f, Datatype declared, int row, Where where) {
        check(declared != null && !declared.holds(v), Long.toString(v), declared, f, row, where);
        Datatype own = Datatype.of(f.type());
        check(!own.holds(v), Long.toString(v), own, f, row, where);
        return (float) v;
    }

    private static float huge(BigInteger v, Feature f, Datatype declared, int row, Where where) {
        check(declared != null && !declared.holds(v), v.toString(), declared, f, row, where);
        Datatype own = Datatype.of(f.type());
        check(!own.holds(v), v.toString(), own, f, row, where);
        check(!Datatype.FP32.holds(v), v.toString(), Datatype.FP32, f, row, where);
        return v.floatValue();
    }

    private static void check(boolean outside, String value, Datatype type, Feature f, int row, Where where) {
        if (outside) {
            boolean modelReads = type == Datatype.FP32 && f.type() != FeatureType.FP32;
            throw bad(abbreviate(value), f, row, where, "it does not fit " + type + ", which takes " + type.holds
                    + (modelReads ? " (the model reads 32-bit floats)" : ""));
        }
    }

    private static FlywheelException notFinite(String value, Feature f, int row, Where where) {
        return bad(value, f, row, where, "only finite numbers are accepted (JSON Infinity, or a number such as 1e999 "
                + "that overflows, is refused; send null for a missing value of a nullable feature)");
    }

    private enum Shape { WHOLE, DECIMAL, NOT_A_NUMBER }

    /** JSON's number grammar with an optional leading '+': no hex, no 'f'/'d' suffixes, no words. */
    private static Shape numberShape(String s) {
        int i = 0;
        int n = s.length();
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            i++;
        }
        int digits = 0;
        while (i < n && Character.isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        boolean whole = true;
        if (i < n && s.charAt(i) == '.') {
            whole = false;
            i++;
            while (i < n && Character.isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return Shape.NOT_A_NUMBER;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            whole = false;
            i++;
            if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
                i++;
            }
            int exponent = 0;
            while (i < n && Character.isDigit(s.charAt(i))) {
                i++;
                exponent++;
            }
            if (exponent == 0) {
                return Shape.NOT_A_NUMBER;
            }
        }
        if (i != n) {
            return Shape.NOT_A_NUMBER;
        }
        return whole ? Shape.WHOLE : Shape.DECIMAL;
    }

    static FlywheelException bad(String what, Feature f, int row, Where where, String fix) {
        return FlywheelException.invalid("feature '" + f.name() + "' (" + f.type() + ") got " + what + " at "
                + where.describe(row) + ": " + fix);
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
