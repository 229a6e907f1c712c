package dev.flywheel.cli.command;

import dev.flywheel.sdk.FlywheelException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Repeated {@code KEY=VALUE} options ({@code -s}, {@code -v}) into a map: each key once, the value as typed. */
final class KeyValues {
    private KeyValues() {
    }

    /**
     * @param option  the option's name, for errors ({@code --setting})
     * @param example an example, for errors ({@code maxRestarts=3})
     * @param secret  whether values are secret: an error then quotes only the start of what was typed
     */
    static Map<String, String> parse(List<String> given, String option, String example, boolean secret) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String s : given) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                String shown = secret && s.length() > 12 ? s.substring(0, 12) + "..." : s;
                throw FlywheelException.invalid(option + " '" + shown + "' must be KEY=VALUE, for example " + option + " " + example);
            }
            put(out, s.substring(0, eq).strip(), secret ? s.substring(eq + 1) : s.substring(eq + 1).strip());
        }
        return out;
    }

    /** Adds one pair; a key given twice is refused. */
    static void put(Map<String, String> m, String key, String value) {
        if (m.put(key, value) != null) {
            throw FlywheelException.invalid("Key '" + key + "' is given twice; give each key once");
        }
    }
}
