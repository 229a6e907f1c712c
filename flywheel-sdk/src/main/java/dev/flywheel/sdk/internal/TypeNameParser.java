package dev.flywheel.sdk.internal;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.util.ArrayList;
import java.util.List;

/** Reads a {@link ValueType#name()} back: {@code class} or {@code class<arg,arg>}, recursively, no spaces. */
final class TypeNameParser {
    private final String text;
    private final ClassLoader loader;
    private int pos;

    TypeNameParser(String text, ClassLoader loader) {
        this.text = text;
        this.loader = loader;
    }

    ValueType type() {
        int start = pos;
        while (pos < text.length() && "<>,".indexOf(text.charAt(pos)) < 0) {
            pos++;
        }
        if (pos == start) {
            throw malformed("a class name");
        }
        Class<?> raw = load(text.substring(start, pos));
        if (pos == text.length() || text.charAt(pos) != '<') {
            return new ValueType.Plain(raw);
        }
        pos++;
        List<ValueType> args = new ArrayList<>();
        args.add(type());
        while (pos < text.length() && text.charAt(pos) == ',') {
            pos++;
            args.add(type());
        }
        if (pos == text.length() || text.charAt(pos) != '>') {
            throw malformed("'>'");
        }
        pos++;
        ValueType.Kind kind = ValueType.CONTAINERS.get(raw);
        if (kind == null) {
            throw malformed("a container class before '<'");
        }
        if (kind == ValueType.Kind.MAP) {
            if (args.size() != 2 || !args.get(0).equals(new ValueType.Plain(String.class))) {
                throw malformed("a Map with String keys");
            }
            return new ValueType.Container(kind, raw, args.get(1));
        }
        if (args.size() != 1) {
            throw malformed("one type argument");
        }
        return new ValueType.Container(kind, raw, args.get(0));
    }

    void end() {
        if (pos != text.length()) {
            throw malformed("the end");
        }
    }

    private Class<?> load(String name) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new FlywheelException(ErrorCode.NOT_FOUND, "class " + name + " is not on the class path; run with the"
                    + " pipeline's class path (--classpath)");
        }
    }

    private FlywheelException malformed(String expected) {
        return new FlywheelException(ErrorCode.INVALID_ARGUMENT, "recorded type '" + text + "' is not a type name Flywheel"
                + " writes: expected " + expected + " at position " + pos);
    }
}
