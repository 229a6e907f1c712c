package dev.flywheel.sdk.flavor;

import dev.flywheel.sdk.DurationText;
import dev.flywheel.sdk.FlywheelException;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads settings given as text ({@code -s key=value}) into a flavor's settings record, and describes the record for
 * {@code flywheel flavors list}. Every mistake is an INVALID_ARGUMENT naming the key and what it accepts: an unknown
 * key (with the accepted ones), a value of the wrong type, a missing required setting, a bad secret reference, or
 * whatever the record's compact constructor refuses. A value resolved from a secret never appears in a message.
 *
 * <p>Types a settings record may use: {@code String}, {@code int}/{@code Integer}, {@code long}/{@code Long},
 * {@code double}/{@code Double}, {@code boolean}/{@code Boolean}, enums, {@link Duration} ({@code 30s}, {@code 5m},
 * {@code 2h}, {@code 1d}, {@code 250ms} or ISO-8601), {@link Path}, {@link URI}, {@code List<String>}
 * (comma-separated).
 */
public final class FlavorSettings {

    private FlavorSettings() {
    }

    /**
     * The settings of a record, in declaration order.
     *
     * @throws IllegalStateException when a component has a type settings cannot hold, or a default that does not
     *                               parse (a mistake of the flavor's author, reported by {@code flavors list})
     */
    public static List<SettingInfo> describe(Class<? extends Record> type) {
        List<SettingInfo> out = new ArrayList<>();
        for (RecordComponent rc : type.getRecordComponents()) {
            Setting s = rc.getAnnotation(Setting.class);
            String typeName = typeName(rc);
            String defaultValue = s == null || s.defaultValue().isEmpty() ? null : s.defaultValue();
            if (defaultValue != null) {
                try {
                    convert(rc, defaultValue);
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("default '" + defaultValue + "' of setting '" + rc.getName() + "' is not "
                            + article(typeName));
                }
            }
            out.add(new SettingInfo(rc.getName(), typeName, defaultValue, required(rc, s), s != null && s.secret(),
                    s == null ? "" : s.description()));
        }
        return out;
    }

    /**
     * Checks {@code raw} against the flavor's settings record and builds the record, with references resolved by
     * {@code resolver}.
     *
     * @throws FlywheelException INVALID_ARGUMENT saying which key is wrong and what is allowed
     */
    public static <S extends Record> S bind(Flavor<S, ?> flavor, Map<String, String> raw, References.Resolver resolver) {
        Class<S> type = flavor.settingsType();
        String what = flavor.kind().label() + " flavor '" + flavor.name() + "'";
        RecordComponent[] components = type.getRecordComponents();
        Map<String, RecordComponent> byName = new LinkedHashMap<>();
        for (RecordComponent rc : components) {
            byName.put(rc.getName(), rc);
        }
        for (String key : raw.keySet()) {
            if (!byName.containsKey(key)) {
                String accepted = byName.isEmpty() ? "none" : String.join(", ", byName.keySet());
                String near = byName.keySet().stream().filter(k -> k.equalsIgnoreCase(key)).findFirst()
                        .map(k -> " (did you mean '" + k + "'?)").orElse("");
                throw FlywheelException.invalid("Unknown setting '" + key + "' for " + what + near + "; accepted: " + accepted
                        + " (see: flywheel flavors list --kind " + flavor.kind().label() + ")");
            }
        }
        List<String> secretValues = new ArrayList<>();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent rc = components[i];
            types[i] = rc.getType();
            Setting s = rc.getAnnotation(Setting.class);
            String given = raw.get(rc.getName());
            String text = given != null ? given : s == null || s.defaultValue().isEmpty() ? null : s.defaultValue();
            if (text == null) {
                if (required(rc, s)) {
                    throw FlywheelException.invalid("Invalid settings for " + what + ": setting '" + rc.getName() + "' is required ("
                            + typeName(rc) + (s == null || s.description().isEmpty() ? "" : ": " + s.description())
                            + "); give it with -s " + rc.getName() + "=VALUE");
                }
                args[i] = null;
                continue;
            }
            try {
                References.parse(text);
            } catch (FlywheelException e) {
                throw FlywheelException.invalid("Invalid settings for " + what + ": setting '" + rc.getName() + "': " + e.getMessage());
            }
            if (s != null && s.secret() && given != null && !References.isSingleReference(given)) {
                throw FlywheelException.invalid("Invalid settings for " + what + ": setting '" + rc.getName() + "' is a secret and is"
                        + " never stored in plain text; store it (flywheel secret create NAME -v " + rc.getName()
                        + "=VALUE) and refer to it: -s " + rc.getName() + "={{secret.NAME." + rc.getName() + "}}");
            }
            String resolved;
            try {
                resolved = References.resolve(text, r -> {
                    String v = resolver.resolve(r);
                    secretValues.add(v);
                    return v;
                });
            } catch (FlywheelException e) {
                throw new FlywheelException(e.code(), "Invalid settings for " + what + ": setting '" + rc.getName() + "': " + e.getMessage());
            }
            try {
                args[i] = convert(rc, resolved);
            } catch (IllegalArgumentException e) {
                throw FlywheelException.invalid("Invalid settings for " + what + ": setting '" + rc.getName() + "' must be "
                        + article(typeName(rc)) + hint(rc) + ", got '" + text + "'" + (text.equals(resolved) ? "" : " (resolved from a secret)"));
            }
        }
        try {
            Constructor<S> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
            throw FlywheelException.invalid("Invalid settings for " + what + ": " + masked(message, secretValues));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("Cannot build the settings record " + type.getName() + " of " + what + ": " + e, e);
        }
    }

    private static String masked(String message, List<String> secrets) {
        String out = message;
        for (String s : secrets) {
            if (!s.isEmpty()) {
                out = out.replace(s, "****");
            }
        }
        return out;
    }

    private static boolean required(RecordComponent rc, Setting s) {
        boolean hasDefault = s != null && !s.defaultValue().isEmpty();
        return (s != null && s.required()) || (rc.getType().isPrimitive() && !hasDefault);
    }

    private static String article(String typeName) {
        if (typeName.startsWith("one of")) {
            return typeName;
        }
        return ("aeiou".indexOf(typeName.charAt(0)) >= 0 ? "an " : "a ") + typeName;
    }

    static String typeName(RecordComponent rc) {
        Class<?> t = rc.getType();
        if (t == String.class) {
            return "string";
        }
        if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
            return "integer";
        }
        if (t == double.class || t == Double.class) {
            return "number";
        }
        if (t == boolean.class || t == Boolean.class) {
            return "boolean";
        }
        if (t == Duration.class) {
            return "duration";
        }
        if (t == Path.class) {
            return "path";
        }
        if (t == URI.class) {
            return "uri";
        }
        if (t.isEnum()) {
            return "one of: " + Arrays.stream(t.getEnumConstants()).map(c -> label((Enum<?>) c)).collect(Collectors.joining(", "));
        }
        if (t == List.class && isListOfStrings(rc.getGenericType())) {
            return "list";
        }
        throw new IllegalStateException("setting '" + rc.getName() + "' has type " + rc.getGenericType().getTypeName()
                + ", which settings cannot hold; use String, int, long, double, boolean, an enum, Duration, Path, URI or List<String>");
    }

    private static String hint(RecordComponent rc) {
        return rc.getType() == Duration.class ? " (30s, 5m, 2h, 1d, 250ms or ISO-8601 like PT30S)" : "";
    }

    private static boolean isListOfStrings(Type generic) {
        return generic instanceof ParameterizedType p && p.getActualTypeArguments().length == 1
                && p.getActualTypeArguments()[0] == String.class;
    }

    private static String label(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Text to the component's type; IllegalArgumentException when it does not parse. */
    private static Object convert(RecordComponent rc, String text) {
        Class<?> t = rc.getType();
        String v = text.strip();
        if (t == String.class) {
            return text;
        }
        if (t == int.class || t == Integer.class) {
            return Integer.parseInt(v);
        }
        if (t == long.class || t == Long.class) {
            return Long.parseLong(v);
        }
        if (t == double.class || t == Double.class) {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d) || v.toLowerCase(Locale.ROOT).contains("x")) {
                throw new IllegalArgumentException("not a finite decimal number");
            }
            return d;
        }
        if (t == boolean.class || t == Boolean.class) {
            if (v.equalsIgnoreCase("true")) {
                return true;
            }
            if (v.equalsIgnoreCase("false")) {
                return false;
            }
            throw new IllegalArgumentException("not true or false");
        }
        if (t == Duration.class) {
            return duration(v);
        }
        if (t == Path.class) {
            if (v.isEmpty()) {
                throw new IllegalArgumentException("empty path");
            }
            return Path.of(v);
        }
        if (t == URI.class) {
            try {
                return new URI(v);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
        }
        if (t.isEnum()) {
            for (Object c : t.getEnumConstants()) {
                Enum<?> e = (Enum<?>) c;
                if (e.name().equalsIgnoreCase(v) || label(e).equalsIgnoreCase(v)) {
                    return e;
                }
            }
            throw new IllegalArgumentException("not one of the values");
        }
        if (t == List.class) {
            return Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
        throw new IllegalStateException("unsupported setting type " + t.getName());
    }

    private static Duration duration(String v) {
        return DurationText.parse(v);
    }
}
