package dev.flywheel.store.secret.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.secret.Secret;
import dev.flywheel.sdk.secret.SecretInfo;
import dev.flywheel.sdk.secret.SecretNames;
import dev.flywheel.sdk.secret.SecretsStore;
import dev.flywheel.store.metadata.MetadataStore;

import javax.crypto.AEADBadTagException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The embedded secrets store ({@code local}): secrets in the metadata store's {@code secrets} table, each one's
 * values encrypted together with AES-256-GCM under the key in the project's key file ({@code secrets.key}, owner-only).
 * The database alone reveals names and key names, never values. Thread-safe; several processes may share it.
 */
public final class LocalSecretsStore implements SecretsStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MetadataStore store;
    private final SecretKeyFile keyFile;
    private final SecretCipher cipher = new SecretCipher();
    private final Clock clock;

    public LocalSecretsStore(MetadataStore store, java.nio.file.Path keyFile, Clock clock) {
        this.store = store;
        this.keyFile = new SecretKeyFile(keyFile);
        this.clock = clock;
    }

    @Override
    public SecretInfo create(String name, Map<String, String> values) {
        return write(name, values, false);
    }

    @Override
    public SecretInfo put(String name, Map<String, String> values) {
        return write(name, values, true);
    }

    private SecretInfo write(String name, Map<String, String> values, boolean replace) {
        SecretNames.requireName(name);
        Map<String, String> sorted = new TreeMap<>(SecretNames.requireValues(name, values));
        SecretKeyFile.Key key = keyFile.loadOrCreate();
        SecretCipher.Sealed sealed = cipher.seal(key, name, json(sorted).getBytes(StandardCharsets.UTF_8));
        String keysJson = json(new ArrayList<>(sorted.keySet()));
        long now = clock.millis();
        store.write(c -> {
            Optional<Long> created = createdAt(c, name);
            if (created.isPresent() && !replace) {
                throw FlywheelException.conflict("A secret named '" + name + "' already exists; delete it first (flywheel secret delete " + name
                        + ") or pick another name");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO secrets (name, keys_json, key_id, nonce, ciphertext, created_at, updated_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET keys_json = excluded.keys_json, key_id = excluded.key_id, "
                    + "nonce = excluded.nonce, ciphertext = excluded.ciphertext, updated_at = excluded.updated_at")) {
                ps.setString(1, name);
                ps.setString(2, keysJson);
                ps.setString(3, key.id());
                ps.setString(4, java.util.Base64.getEncoder().encodeToString(sealed.nonce()));
                ps.setString(5, java.util.Base64.getEncoder().encodeToString(sealed.ciphertext()));
                ps.setLong(6, created.orElse(now));
                ps.setLong(7, now);
                ps.executeUpdate();
            }
            return null;
        });
        return describe(name).orElseThrow();
    }

    @Override
    public Optional<Secret> get(String name) {
        record Row(String keyId, byte[] nonce, byte[] ciphertext) {
        }
        Optional<Row> row = store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT key_id, nonce, ciphertext FROM secrets WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Row(rs.getString(1), java.util.Base64.getDecoder().decode(rs.getString(2)),
                            java.util.Base64.getDecoder().decode(rs.getString(3)))) : Optional.empty();
                }
            }
        });
        if (row.isEmpty()) {
            return Optional.empty();
        }
        SecretKeyFile.Key key = keyFile.load();
        if (!key.id().equals(row.get().keyId())) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Secret '" + name + "' was encrypted with key " + row.get().keyId() + ", but "
                    + keyFile.path() + " holds key " + key.id() + "; restore the key file the secret was written with (a folder of a"
                    + " project shared through PostgreSQL: copy secrets.key from the folder that created the secret), or store the"
                    + " secret again: flywheel secret delete " + name + " -y && flywheel secret create " + name + " -v KEY=VALUE");
        }
        byte[] plain;
        try {
            plain = cipher.open(key, name, row.get().nonce(), row.get().ciphertext());
        } catch (AEADBadTagException e) {
            throw new FlywheelException(ErrorCode.CORRUPT, "Secret '" + name + "' does not decrypt: its stored bytes were changed; store it"
                    + " again: flywheel secret delete " + name + " -y && flywheel secret create " + name + " -v KEY=VALUE");
        }
        try {
            Map<String, String> values = JSON.readValue(plain, new TypeReference<Map<String, String>>() {
            });
            return Optional.of(new Secret(name, values));
        } catch (java.io.IOException e) {
            throw new FlywheelException(ErrorCode.CORRUPT, "Secret '" + name + "' decrypts to something that is not its values");
        }
    }

    @Override
    public List<SecretInfo> list() {
        return store.read(c -> {
            List<SecretInfo> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, keys_json, created_at, updated_at FROM secrets ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(info(rs));
                }
            }
            return out;
        });
    }

    @Override
    public Optional<SecretInfo> describe(String name) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT name, keys_json, created_at, updated_at FROM secrets WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(info(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean delete(String name) {
        return store.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM secrets WHERE name = ?")) {
                ps.setString(1, name);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static Optional<Long> createdAt(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT created_at FROM secrets WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    private static SecretInfo info(ResultSet rs) throws SQLException {
        List<String> keys;
        try {
            keys = JSON.readValue(rs.getString(2), new TypeReference<List<String>>() {
            });
        } catch (JsonProcessingException e) {
            keys = List.of();
        }
        return new SecretInfo(rs.getString(1), keys, Instant.ofEpochMilli(rs.getLong(3)), Instant.ofEpochMilli(rs.getLong(4)));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("strings are always JSON", e);
        }
    }
}
