package dev.flywheel.engine.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The identity of a step execution for caching: same step class and code, same config, same input contents.
 * Inputs count by content hash, not by artifact id, so an upstream step that re-ran and produced identical bytes
 * does not invalidate its dependants.
 */
public final class CacheKey {
    private CacheKey() {
    }

    /**
     * @param inputHashes input name to the sha256 of the artifact's bytes
     */
    public static String of(String stepClass, String codeVersion, String configJson, Map<String, String> inputHashes) {
        MessageDigest d = CodeVersion.sha256();
        field(d, "class", stepClass);
        field(d, "code", codeVersion);
        field(d, "config", configJson == null ? "" : configJson);
        for (Map.Entry<String, String> e : new TreeMap<>(inputHashes).entrySet()) {
            field(d, "input:" + e.getKey(), e.getValue());
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static void field(MessageDigest d, String name, String value) {
        d.update(name.getBytes(StandardCharsets.UTF_8));
        d.update((byte) 0);
        d.update(value.getBytes(StandardCharsets.UTF_8));
        d.update((byte) 0);
    }
}
