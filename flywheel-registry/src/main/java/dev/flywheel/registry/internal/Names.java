package dev.flywheel.registry.internal;

import dev.flywheel.sdk.FlywheelException;

import java.util.regex.Pattern;

/** What model names, aliases and tags may look like: safe in URLs, file names and shells. */
public final class Names {
    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final Pattern ALIAS = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_.:/-]{1,128}");

    private Names() {
    }

    public static String model(String name) {
        if (name == null || !MODEL.matcher(name).matches()) {
            throw FlywheelException.invalid("Invalid model name '" + name + "': use 1-128 letters, digits, '_', '.' or '-', "
                    + "starting with a letter or digit (for example bike_demand)");
        }
        return name;
    }

    public static String alias(String model, String alias) {
        if (alias == null || !ALIAS.matcher(alias).matches()) {
            throw FlywheelException.invalid("Invalid alias '" + alias + "' for model '" + model + "': use 1-64 letters, digits, '_' or '-', "
                    + "starting with a letter (for example champion)");
        }
        return alias;
    }

    public static String tag(String key) {
        if (key == null || !TAG.matcher(key).matches()) {
            throw FlywheelException.invalid("Invalid tag key '" + key + "': use 1-128 letters, digits or _ . : / -");
        }
        return key;
    }
}
