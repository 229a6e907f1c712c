package dev.flywheel.deploy.local;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.secret.Secret;
import dev.flywheel.sdk.secret.SecretsStore;

import java.io.IOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The one owner of local services' admin tokens (what a server's {@code /admin} endpoints demand): each lives in the
 * project's secrets store, encrypted at rest, as the secret {@code served-model-<service uuid>} with the key
 * {@code admin-token}; it is issued when the service is created and deleted with it. A supervisor and its server get
 * it through their environment ({@link dev.flywheel.serving.api.ServerFlags#ADMIN_TOKEN_ENV}), never a file or argv.
 *
 * <p>Flywheel before the secrets store kept the token in the service folder's owner-only {@code admin-token} file.
 * Such a file is moved into the store the first time a service is touched, and deleted as soon as no supervisor of
 * that older Flywheel runs (it restarts its server from the file).
 */
final class AdminTokens {
    static final String KEY = "admin-token";
    private static final String PREFIX = "served-model-";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Asked for lazily: listing services never opens the secrets store unless an older token file is found. */
    private final Supplier<SecretsStore> store;

    AdminTokens(Supplier<SecretsStore> store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** The secret a service's token is kept under. */
    static String secretName(UUID service) {
        return PREFIX + service;
    }

    /** Issues a new random token for {@code service} and stores it, replacing any it had. */
    String issue(UUID service) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        store.get().put(secretName(service), Map.of(KEY, token));
        return token;
    }

    /**
     * The service's token, for a call to its server's admin endpoint.
     *
     * @throws FlywheelException UNAVAILABLE when the store has none (its secret was deleted by hand), saying how to
     *                           issue a new one
     */
    String token(ServiceFolder folder) {
        return stored(folder).orElseThrow(() -> missing(folder));
    }

    private static FlywheelException missing(ServiceFolder folder) {
        return new FlywheelException(ErrorCode.UNAVAILABLE, "Service " + folder.uuid() + " has no admin token in the secrets store"
                + " (secret " + secretName(folder.uuid()) + " is gone); restart the service to issue a new one: flywheel served-models stop "
                + folder.uuid() + " && flywheel served-models start " + folder.uuid());
    }

    /**
     * The token a supervisor about to be launched is handed. No supervisor of an older Flywheel runs then, so an older
     * token file is moved into the store and deleted. A fresh start issues a new token when the store has none; an
     * adoption cannot (the running server keeps the token it started with).
     */
    String forSupervisor(ServiceFolder folder, boolean adopting) {
        Optional<String> kept = stored(folder);
        String token = adopting ? kept.orElseThrow(() -> missing(folder)) : kept.orElseGet(() -> issue(folder.uuid()));
        deleteOlderFile(folder);
        return token;
    }

    /**
     * Moves an older Flywheel's token file into the store, if the folder has one and the store has no token yet, and
     * deletes the file unless {@code olderSupervisorRuns}. Returns whether it changed anything (so a second call while
     * that supervisor runs returns false).
     */
    boolean migrate(ServiceFolder folder, boolean olderSupervisorRuns) {
        if (!Files.exists(folder.olderAdminToken())) {
            return false;
        }
        boolean changed = store.get().describe(secretName(folder.uuid())).isEmpty() && stored(folder).isPresent();
        if (!olderSupervisorRuns) {
            deleteOlderFile(folder);
            changed = true;
        }
        return changed;
    }

    /** Deletes the service's token; nothing when it has none. */
    void delete(UUID service) {
        store.get().delete(secretName(service));
    }

    /**
     * The stored token; an older file's token is put into the store first when the store has none. The store is
     * written before the file is deleted, so a process racing a migration finds the token in one place or the other.
     */
    private Optional<String> stored(ServiceFolder folder) {
        Optional<String> older = readOlder(folder);
        Optional<Secret> secret = store.get().get(secretName(folder.uuid()));
        if (secret.isPresent()) {
            return Optional.of(secret.get().value(KEY));
        }
        older.ifPresent(t -> store.get().put(secretName(folder.uuid()), Map.of(KEY, t)));
        return older;
    }

    private static Optional<String> readOlder(ServiceFolder folder) {
        return ServiceFolder.read(folder.olderAdminToken()).map(String::strip).filter(t -> !t.isEmpty());
    }

    private static void deleteOlderFile(ServiceFolder folder) {
        try {
            Files.deleteIfExists(folder.olderAdminToken());
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot delete the old admin token file " + folder.olderAdminToken()
                    + " (its token is in the secrets store now): " + e.getMessage() + "; delete it by hand");
        }
    }
}
