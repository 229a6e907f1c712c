package dev.flywheel.formats.xgboost.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The structural check every byte array passes before XGBoost4J sees it. XGBoost 2.1's parsers trust their
 * input: a truncated UBJSON file can crash the JVM inside {@code UBJReader::ParseArray}. So JSON and UBJSON are
 * parsed completely in Java first; the legacy binary format (no self-describing structure) gets its header,
 * objective and booster names, and minimum length checked.
 *
 * <p>Residual risk, legacy binary only: bytes after the booster parameters (tree nodes, stats) are not checked,
 * so a file cut or flipped inside the tree section still reaches native code. XGBoost reads that section with
 * length-checked stream reads, and the format has been deprecated since XGBoost 1.6; save such models again as
 * UBJSON.
 */
public final class NativeInput {
    private static final JsonFactory JSON = JsonFactory.builder().build();
    /** LearnerModelParamLegacy: 9 four-byte fields and 25 reserved ints. */
    private static final int LEGACY_LEARNER_PARAM = 136;
    /** GBTreeModelParam: 4 ints, 1 long, 2 ints and 32 reserved ints. */
    private static final int LEGACY_GBTREE_PARAM = 160;
    private static final Set<String> BOOSTERS = Set.of("gbtree", "gblinear", "dart");

    private NativeInput() {
    }

    /** @throws MalformedModel saying what is wrong and at which byte */
    public static void requireWellFormed(byte[] content) {
        if (ModelJson.looksLikeJson(content)) {
            requireJson(content);
        } else if (content.length > 0 && content[0] == '{') {
            Ubjson.read(content);
        } else {
            requireLegacyHeader(content);
        }
    }

    private static void requireJson(byte[] content) {
        try (JsonParser p = JSON.createParser(content)) {
            p.nextToken();
            p.skipChildren();
            JsonToken after = p.nextToken();
            if (after != null) {
                throw new MalformedModel("the JSON document ends at byte " + p.currentTokenLocation().getByteOffset()
                        + " of " + content.length + " but more follows");
            }
        } catch (JsonProcessingException e) {
            throw new MalformedModel("its JSON is malformed at byte " + e.getLocation().getByteOffset() + " of "
                    + content.length + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedModel("its JSON could not be read: " + e.getMessage());
        }
    }

    private static void requireLegacyHeader(byte[] content) {
        if (startsWith(content, "bs64")) {
            throw new MalformedModel("it is a base64-encoded legacy binary model, which is not accepted;"
                    + " load it with XGBoost and save it again as UBJSON");
        }
        int at = startsWith(content, "binf") ? 4 : 0;
        if (content.length < at + LEGACY_LEARNER_PARAM + 16) {
            throw new MalformedModel("it is neither JSON ('{\"') nor UBJSON ('{' and a length marker), and at "
                    + content.length + " bytes it is too short for XGBoost's legacy binary format (at least "
                    + (at + LEGACY_LEARNER_PARAM + 16) + " bytes)");
        }
        at += LEGACY_LEARNER_PARAM;
        at = legacyString(content, at, "objective name", null);
        String[] booster = new String[1];
        at = legacyString(content, at, "booster name", booster);
        if (!BOOSTERS.contains(booster[0])) {
            throw new MalformedModel("its legacy binary header names booster '" + booster[0]
                    + "', expected one of " + BOOSTERS + "; the file is not an XGBoost model or is corrupt");
        }
        if (!booster[0].equals("gblinear") && content.length < at + LEGACY_GBTREE_PARAM) {
            throw new MalformedModel("truncated at byte " + content.length + ": the legacy " + booster[0]
                    + " parameters need " + LEGACY_GBTREE_PARAM + " bytes from byte " + at);
        }
    }

    /** dmlc::Stream strings: a little-endian uint64 length, then the bytes. Returns the offset after it. */
    private static int legacyString(byte[] content, int at, String what, String[] out) {
        if (content.length - at < 8) {
            throw new MalformedModel("truncated at byte " + content.length + ": the legacy " + what
                    + " length at byte " + at + " needs 8 bytes");
        }
        long n = ByteBuffer.wrap(content, at, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 0 || n > 256 || n > content.length - at - 8) {
            throw new MalformedModel("the legacy binary " + what + " at byte " + at + " claims " + n
                    + " bytes (file has " + content.length + "); the file is not an XGBoost model or is corrupt");
        }
        String s = new String(content, at + 8, (int) n, StandardCharsets.ISO_8859_1);
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < 0x20 || s.charAt(i) > 0x7e) {
                throw new MalformedModel("the legacy binary " + what + " at byte " + at
                        + " is not text; the file is not an XGBoost model or is corrupt");
            }
        }
        if (out != null) {
            out[0] = s;
        }
        return at + 8 + (int) n;
    }

    private static boolean startsWith(byte[] content, String prefix) {
        if (content.length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (content[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
