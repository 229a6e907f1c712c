package dev.flywheel.sdk.flavor;

import dev.flywheel.sdk.FlywheelException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * References inside setting values: {@code {{secret.NAME.KEY}}} (a key of a secret in the project's secrets store)
 * and, in the project's bootstrap file only, {@code {{env.VAR}}} (an environment variable). A value may hold several
 * references among plain text ({@code https://{{secret.hook.user}}@example.com}). They are resolved when the
 * component is built, never stored resolved, and a resolved value is never printed.
 */
public final class References {
    public static final String SECRET = "secret";
    public static final String ENV = "env";
    /** Anything between double braces; what is inside is checked by {@link #parse}. */
    private static final Pattern TOKEN = Pattern.compile("\\{\\{(.*?)}}");
    private static final Pattern SECRET_REF = Pattern.compile("\\s*secret\\.([A-Za-z0-9][A-Za-z0-9_-]*)\\.([A-Za-z_][A-Za-z0-9_-]*)\\s*");
    private static final Pattern ENV_REF = Pattern.compile("\\s*env\\.([A-Za-z_][A-Za-z0-9_]*)\\s*");

    private References() {
    }

    /** One reference: {@code namespace} is {@link #SECRET} or {@link #ENV}; {@code key} is null for env. */
    public record Reference(String namespace, String name, String key) {
        @Override
        public String toString() {
            return "{{" + namespace + "." + name + (key == null ? "" : "." + key) + "}}";
        }
    }

    /** Resolves one reference to its value; throws {@link FlywheelException} saying what is missing. */
    @FunctionalInterface
    public interface Resolver {
        String resolve(Reference reference);

        /** Refuses every reference: for settings that must not refer to anything (the secrets store's own). */
        static Resolver none(String why) {
            return r -> {
                throw FlywheelException.invalid(r + " cannot be used here: " + why);
            };
        }

        /** {@code {{env.VAR}}} from {@code env}; secret references refused with {@code why}. */
        static Resolver environment(Map<String, String> env, String why) {
            return r -> {
                if (!ENV.equals(r.namespace())) {
                    throw FlywheelException.invalid(r + " cannot be used here: " + why);
                }
                String v = env.get(r.name());
                if (v == null) {
                    throw FlywheelException.invalid(r + " refers to environment variable " + r.name() + ", which is not set");
                }
                return v;
            };
        }
    }

    /** Whether {@code value} holds anything between double braces. */
    public static boolean hasReference(String value) {
        return value != null && value.contains("{{");
    }

    /**
     * The references in {@code value}, in order.
     *
     * @throws FlywheelException INVALID_ARGUMENT for text between double braces that is no valid reference, or an
     *                           unmatched {@code {{}
     */
    public static List<Reference> parse(String value) {
        List<Reference> out = new ArrayList<>();
        if (!hasReference(value)) {
            return out;
        }
        Matcher m = TOKEN.matcher(value);
        int end = 0;
        while (m.find()) {
            if (value.substring(end, m.start()).contains("{{")) {
                throw badReference(value);
            }
            out.add(reference(m.group(1), m.group()));
            end = m.end();
        }
        if (value.substring(end).contains("{{")) {
            throw badReference(value);
        }
        return out;
    }

    private static Reference reference(String inner, String whole) {
        Matcher secret = SECRET_REF.matcher(inner);
        if (secret.matches()) {
            return new Reference(SECRET, secret.group(1), secret.group(2));
        }
        Matcher env = ENV_REF.matcher(inner);
        if (env.matches()) {
            return new Reference(ENV, env.group(1), null);
        }
        throw FlywheelException.invalid("'" + whole + "' is not a reference Flywheel knows; write {{secret.NAME.KEY}} (a key of a"
                + " secret: flywheel secret list)");
    }

    private static FlywheelException badReference(String value) {
        return FlywheelException.invalid("Unmatched '{{' in '" + value + "'; a reference is written {{secret.NAME.KEY}}");
    }

    /** {@code value} with every reference replaced by what {@code resolver} returns. */
    public static String resolve(String value, Resolver resolver) {
        if (!hasReference(value)) {
            return value;
        }
        parse(value);
        Matcher m = TOKEN.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(resolver.resolve(reference(m.group(1), m.group()))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Whether {@code value} is exactly one secret reference and nothing else. */
    public static boolean isSingleSecretReference(String value) {
        if (value == null) {
            return false;
        }
        Matcher m = TOKEN.matcher(value.strip());
        return m.matches() && SECRET_REF.matcher(m.group(1)).matches();
    }

    /**
     * Whether {@code value} is exactly one reference of either kind: a secret setting may be {@code {{env.VAR}}} where
     * environment references are allowed (the project's bootstrap file), and its resolver refuses it elsewhere.
     */
    public static boolean isSingleReference(String value) {
        if (value == null) {
            return false;
        }
        Matcher m = TOKEN.matcher(value.strip());
        return m.matches() && (SECRET_REF.matcher(m.group(1)).matches() || ENV_REF.matcher(m.group(1)).matches());
    }
}
