package dev.flywheel.sdk.secret;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a project keeps secrets: named groups of key/value pairs ({@code db}: {@code user}, {@code password}).
 * Component settings refer to them as {@code {{secret.NAME.KEY}}}; Flywheel's own secrets (webhook signing secrets,
 * prediction servers' admin tokens) live here too. A component kind: the embedded {@code local} flavor encrypts
 * values at rest with a key only the project's owner can read.
 *
 * <p>Implementations are thread-safe and safe to share between processes of one project. Values never appear in
 * logs, messages or {@code toString()}.
 */
public interface SecretsStore {

    /**
     * Stores a new secret.
     *
     * @throws dev.flywheel.sdk.FlywheelException CONFLICT when a secret of that name exists; INVALID_ARGUMENT for a bad
     *                                            name or key, or no values
     */
    SecretInfo create(String name, Map<String, String> values);

    /** Stores {@code values} under {@code name}, replacing what was there. */
    SecretInfo put(String name, Map<String, String> values);

    /** The secret's values, when it exists. */
    Optional<Secret> get(String name);

    /** A secret's name and keys, without values. */
    Optional<SecretInfo> describe(String name);

    /** Names and keys of every secret, by name; no values. */
    List<SecretInfo> list();

    /** Deletes the secret; false when there was none. */
    boolean delete(String name);
}
