package dev.flywheel.server.internal;

import dev.flywheel.store.metadata.RunQuery;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/** The opaque {@code cursor} of a runs page: where the previous page ended, as URL-safe text. */
final class Cursor {
    private Cursor() {
    }

    static String encode(RunQuery.Position p) {
        return p == null ? null : Base64.getUrlEncoder().withoutPadding()
                .encodeToString((p.startedAt().toEpochMilli() + ":" + p.id()).getBytes(StandardCharsets.UTF_8));
    }

    static RunQuery.Position decode(String text) {
        if (text == null) {
            return null;
        }
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int colon = plain.indexOf(':');
            return new RunQuery.Position(Instant.ofEpochMilli(Long.parseLong(plain.substring(0, colon))), plain.substring(colon + 1));
        } catch (RuntimeException e) {
            throw new InvalidField("cursor", "query parameter 'cursor' is not a cursor this server gave out; pass the nextCursor of"
                    + " the previous page unchanged, or leave it out for the first page");
        }
    }
}
