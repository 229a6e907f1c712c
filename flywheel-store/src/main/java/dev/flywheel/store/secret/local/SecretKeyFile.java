package dev.flywheel.store.secret.local;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The key the local secrets store encrypts with: 256 random bits, Base64 on one line, in a file only the project's
 * owner can read ({@code 0600}). Created on the first secret written; a file other users could read is made
 * owner-only (with a warning), and a file owned by another user is refused.
 */
final class SecretKeyFile {
    private static final Logger LOG = LoggerFactory.getLogger(SecretKeyFile.class);
    private static final int KEY_BYTES = 32;

    private final Path file;

    SecretKeyFile(Path file) {
        this.file = file.toAbsolutePath().normalize();
    }

    Path path() {
        return file;
    }

    boolean exists() {
        return Files.exists(file);
    }

    /** The key, created first if there is no key file yet (two processes racing create one key between them). */
    Key loadOrCreate() {
        if (!Files.exists(file)) {
            create();
        }
        return load();
    }

    /**
     * The key in the file.
     *
     * @throws FlywheelException UNAVAILABLE when it is missing, unreadable, owned by someone else or not a key
     */
    Key load() {
        if (!Files.exists(file)) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "The secrets key file " + file + " is missing, so the stored secrets cannot be"
                    + " read; restore it from where it was kept, or, in a project shared by several folders, copy it from the folder that"
                    + " created the secrets (secrets written with another key cannot be recovered)");
        }
        try {
            Integer me = currentUid();
            Object owner = me == null ? null : Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (me != null && me != 0 && !me.equals(owner)) {
                UserPrincipal name = Files.getOwner(file, LinkOption.NOFOLLOW_LINKS);
                throw new FlywheelException(ErrorCode.UNAVAILABLE, "The secrets key file " + file + " belongs to " + name.getName()
                        + " (uid " + owner + "), not to this process's user (uid " + me + "); only the project's owner may hold"
                        + " it: chown it, or use the project as its owner");
            }
            PrivateFiles.tighten(file).ifPresent(before -> LOG.warn("secrets key file made owner-only: file={} was={}", file, before));
            byte[] key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
            if (key.length != KEY_BYTES) {
                throw new IllegalArgumentException("holds " + key.length + " bytes, not " + KEY_BYTES);
            }
            return new Key(new SecretKeySpec(key, "AES"), id(key));
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot read the secrets key file " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "The secrets key file " + file + " is not a key (" + e.getMessage()
                    + "); restore it from where it was kept");
        }
    }

    /** This process's user id where the system tells it ({@code /proc/self} on Linux), else null. */
    private static Integer currentUid() {
        Path self = Path.of("/proc/self");
        try {
            return Files.exists(self) ? (Integer) Files.getAttribute(self, "unix:uid") : null;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Writes a new key to a temporary file and links it into place, so a racing process never sees half a key. */
    private void create() {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        Path tmp = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            PrivateFiles.createDirectories(file.getParent());
            PrivateFiles.createFile(tmp);
            Files.writeString(tmp, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
            try {
                Files.createLink(file, tmp); // fails if another process made the key first: theirs is used
                LOG.info("secrets key created file={}", file);
            } catch (FileAlreadyExistsException e) {
                // keep the other key
            }
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot create the secrets key file " + file + ": " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a stray temporary key file is owner-only; nothing to do
            }
        }
    }

    /** Names a key without revealing it: the first 8 bytes of its SHA-256, in hex. */
    private static String id(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** A loaded key and its id. */
    record Key(SecretKey key, String id) {
        @Override
        public String toString() {
            return "Key[" + id + "]";
        }
    }
}
