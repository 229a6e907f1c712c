package dev.flywheel.formats.xgboost.internal;

/**
 * The bytes of a model file are not a complete, well-formed document (truncated, a bad marker, a length that
 * points past the end). Thrown by the Java readers before any native call, so XGBoost's own parser - which
 * crashes the JVM on some truncated UBJSON - never sees such bytes. The message says where (byte offset) and
 * what is wrong; callers add the file name.
 */
public final class MalformedModel extends RuntimeException {
    public MalformedModel(String message) {
        super(message, null, false, false);
    }
}
