package dev.flywheel.engine.cache;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The version of a step's code: the sha256 of the bytecode of its class and every class nested in it (its config
 * and output records usually are). Editing the step and recompiling changes the hash, so a stale cache entry is
 * never reused; a rebuild that produces the same bytecode keeps it.
 */
public final class CodeVersion {
    private final Map<Class<?>, String> hashes = new ConcurrentHashMap<>();

    public String of(Class<?> stepClass) {
        return hashes.computeIfAbsent(stepClass, CodeVersion::hash);
    }

    private static String hash(Class<?> type) {
        MessageDigest digest = sha256();
        Class<?> host = type.getNestHost();
        Class<?>[] members = host.getNestMembers();
        Arrays.sort(members, Comparator.comparing(Class::getName));
        for (Class<?> member : members) {
            digest.update(member.getName().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            digest.update(bytecode(member));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static byte[] bytecode(Class<?> type) {
        String resource = type.getName().substring(type.getName().lastIndexOf('.') + 1) + ".class";
        try (InputStream in = type.getResourceAsStream(resource)) {
            if (in == null) {
                throw new FlywheelException(ErrorCode.INTERNAL, "Cannot read the bytecode of " + type.getName()
                        + " to version its cache; steps must be loaded from class files or jars");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.INTERNAL, "Cannot read the bytecode of " + type.getName() + ": " + e.getMessage(), e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
