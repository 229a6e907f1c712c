package dev.flywheel.kubernetes.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Ordered maps for manifests: keys keep the order they are written in (golden files stay stable), nulls are left out. */
final class Obj {
    private Obj() {
    }

    static Map<String, Object> of(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values come in pairs");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            Object v = keysAndValues[i + 1];
            if (v != null && !(v instanceof List<?> l && l.isEmpty()) && !(v instanceof Map<?, ?> mm && mm.isEmpty())) {
                m.put((String) keysAndValues[i], v);
            }
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    static List<?> list(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }

    /** The value at a path of nested maps, or null. */
    static Object at(Map<String, Object> root, String... path) {
        Object cur = root;
        for (String p : path) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(p);
        }
        return cur;
    }

    static Long number(Object o) {
        return o instanceof Number n ? n.longValue() : o instanceof String s && s.matches("-?[0-9]+") ? Long.parseLong(s) : null;
    }
}
