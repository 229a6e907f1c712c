package dev.flywheel.sdk.secret;

import java.time.Instant;
import java.util.List;

/** A secret without its values: what {@code flywheel secret list} and {@code describe} show. */
public record SecretInfo(String name, List<String> keys, Instant createdAt, Instant updatedAt) {
    public SecretInfo {
        keys = List.copyOf(keys);
    }
}
