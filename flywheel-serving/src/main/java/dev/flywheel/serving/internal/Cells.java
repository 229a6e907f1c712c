package dev.flywheel.serving.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.Feature;
import dev.flywheel.sdk.model.FeatureType;

/**
 * Turns one JSON or CSV cell into the float the model reads, checked against its feature. Error messages are
 * built only on the failure path, so the request path does not format strings.
 */
final class Cells {
    private Cells() {
    }

    /** Where a cell came from, for error messages: {@code describe(row)} is called only when a cell is bad. */
    interface Where {
        String describe(int row);
    }

    static float fromJson(JsonNode v, Feature f, int row, Where where) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            if (f.nullable()) {
                return Float.NaN;
            }
            throw bad("null", f, row, where, "the feature is not nullable; send a number");
        }
        if (v.isNumber()) {
            double d = v.doubleValue();
            return checkNumber(d, f, row, where, v.isIntegralNumber());
        }
        if (v.isBoolean()) {
            if (f.type() == FeatureType.BOOL) {
                return v.booleanValue() ? 1f : 0f;
            }
            throw bad("boolean " + v.booleanValue(), f, row, where, "send a number");
        }
        if (v.isTextual()) {
            throw bad("string \"" + abbreviate(v.textValue()) + "\"", f, row, where, "send a JSON number, not a string");
        }
        throw bad(v.isArray() ? "an array" : "an object", f, row, where, "send one number per cell");
    }

    static float fromText(String cell, Feature f, int row, Where where) {
        String s = cell.strip();
        if (s.isEmpty() || s.equalsIgnoreCase("null")) {
            if (f.nullable()) {
                return Float.NaN;
            }
            throw bad("empty", f, row, where, "the feature is not nullable; send a number");
        }
        if (f.type() == FeatureType.BOOL && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return s.equalsIgnoreCase("true") ? 1f : 0f;
        }
        double d;
        try {
            d = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw bad("\"" + abbreviate(s) + "\"", f, row, where, "it is not a number");
        }
        return checkNumber(d, f, row, where, s.indexOf('.') < 0 && s.indexOf('e') < 0 && s.indexOf('E') < 0);
    }

    private static float checkNumber(double d, Feature f, int row, Where where, boolean integral) {
        if (Double.isNaN(d)) {
            if (f.nullable()) {
                return Float.NaN;
            }
            throw bad("NaN", f, row, where, "the feature is not nullable; send a number");
        }
        switch (f.type()) {
            case FP32, FP64 -> {
                return (float) d;
            }
            case INT32, INT64 -> {
                if (!integral && d != Math.rint(d)) {
                    throw bad(Double.toString(d), f, row, where, "send a whole number");
                }
                return (float) d;
            }
            case BOOL -> {
                if (d != 0 && d != 1) {
                    throw bad(Double.toString(d), f, row, where, "send true/false or 0/1");
                }
                return (float) d;
            }
            case BYTES -> throw bad("a number", f, row, where, "BYTES features are not served");
        }
        throw new IllegalStateException("unreachable");
    }

    static FlywheelException bad(String what, Feature f, int row, Where where, String fix) {
        return FlywheelException.invalid("feature '" + f.name() + "' (" + f.type() + ") got " + what + " at "
                + where.describe(row) + ": " + fix);
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
