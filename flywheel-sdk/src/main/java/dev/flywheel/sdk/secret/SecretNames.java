package dev.flywheel.sdk.secret;

import dev.flywheel.sdk.FlywheelException;

import java.util.Map;

/** The rules for secret names and keys, shared by every secrets store: they must fit {@code {{secret.NAME.KEY}}}. */
public final class SecretNames {
    private SecretNames() {
    }

    /** Letters, digits, '_' and '-', starting with a letter or digit, at most 64; no '.' (it separates NAME and KEY). */
    public static String requireName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}")) {
            throw FlywheelException.invalid("Invalid secret name '" + name + "': use letters, digits, '_' and '-' (no '.'), at most 64");
        }
        return name;
    }

    /** Checks every key of {@code values} and that there is at least one. */
    public static Map<String, String> requireValues(String name, Map<String, String> values) {
        if (values == null || values.isEmpty()) {
            throw FlywheelException.invalid("Secret '" + name + "' needs at least one value: -v KEY=VALUE or --from-env VAR");
        }
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (e.getKey() == null || !e.getKey().matches("[A-Za-z_][A-Za-z0-9_-]{0,63}")) {
                throw FlywheelException.invalid("Invalid key '" + e.getKey() + "' in secret '" + name
                        + "': use letters, digits, '_' and '-', starting with a letter or '_', at most 64");
            }
            if (e.getValue() == null) {
                throw FlywheelException.invalid("Key '" + e.getKey() + "' of secret '" + name + "' has no value");
            }
        }
        return values;
    }
}
