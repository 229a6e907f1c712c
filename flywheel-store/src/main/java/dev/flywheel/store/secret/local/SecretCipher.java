package dev.flywheel.store.secret.local;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * AES-256-GCM with a fresh 96-bit nonce per encryption and a 128-bit tag. The secret's name is the associated data,
 * so a ciphertext copied onto another secret's row does not decrypt.
 */
final class SecretCipher {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private final SecureRandom random = new SecureRandom();

    record Sealed(byte[] nonce, byte[] ciphertext) {
    }

    Sealed seal(SecretKeyFile.Key key, String name, byte[] plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad(name));
            return new Sealed(nonce, c.doFinal(plaintext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every Java runtime: " + e, e);
        }
    }

    /** The plaintext; {@link AEADBadTagException} when the bytes were changed or belong to another name or key. */
    byte[] open(SecretKeyFile.Key key, String name, byte[] nonce, byte[] ciphertext) throws AEADBadTagException {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad(name));
            return c.doFinal(ciphertext);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every Java runtime: " + e, e);
        }
    }

    private static byte[] aad(String name) {
        return ("flywheel-secret:" + name).getBytes(StandardCharsets.UTF_8);
    }
}
