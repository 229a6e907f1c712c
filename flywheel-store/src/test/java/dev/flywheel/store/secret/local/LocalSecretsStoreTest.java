package dev.flywheel.store.secret.local;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.secret.SecretInfo;
import dev.flywheel.store.metadata.MetadataStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local secrets store on a real SQLite store: values encrypted at rest, the key owner-only, tampering detected. */
class LocalSecretsStoreTest {
    private static final String VALUE = "correct-horse-battery-staple";

    @TempDir
    Path dir;
    MetadataStore metadata;
    LocalSecretsStore secrets;

    @BeforeEach
    void open() {
        metadata = MetadataStore.openSqlite(dir.resolve("flywheel.db"));
        secrets = new LocalSecretsStore(metadata, dir.resolve("secrets.key"), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        metadata.close();
    }

    private static FlywheelException thrown(Runnable r) {
        try {
            r.run();
        } catch (FlywheelException e) {
            return e;
        }
        throw new AssertionError("no exception");
    }

    @Test
    void valuesComeBackAndNeverReachTheDatabaseInPlainText() throws Exception {
        SecretInfo info = secrets.create("db", Map.of("password", VALUE, "user", "ml"));
        assertThat(info.keys()).containsExactly("password", "user");
        assertThat(secrets.get("db").orElseThrow().value("password")).isEqualTo(VALUE);
        assertThat(secrets.get("db").orElseThrow().toString()).doesNotContain(VALUE).contains("****");
        assertThat(secrets.get("nope")).isEmpty();
        assertThat(secrets.list()).extracting(SecretInfo::name).containsExactly("db");

        metadata.read(c -> c.createStatement().execute("PRAGMA wal_checkpoint(TRUNCATE)"));
        for (String file : List.of("flywheel.db", "flywheel.db-wal")) {
            Path p = dir.resolve(file);
            if (Files.exists(p)) {
                assertThat(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1)).as(file).doesNotContain(VALUE);
            }
        }
        Path key = dir.resolve("secrets.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(Base64.getDecoder().decode(Files.readString(key).strip())).hasSize(32);
    }

    @Test
    void createRefusesAnExistingNameAndPutReplaces() {
        secrets.create("hook", Map.of("token", "a"));
        FlywheelException e = thrown(() -> secrets.create("hook", Map.of("token", "b")));
        assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(e.getMessage()).contains("already exists").doesNotContain("\"b\"");
        SecretInfo before = secrets.list().getFirst();
        secrets.put("hook", Map.of("token", "c", "extra", "d"));
        assertThat(secrets.get("hook").orElseThrow().values()).isEqualTo(Map.of("token", "c", "extra", "d"));
        assertThat(secrets.list().getFirst().createdAt()).isEqualTo(before.createdAt());
        assertThat(secrets.delete("hook")).isTrue();
        assertThat(secrets.delete("hook")).isFalse();
    }

    @Test
    void badNamesKeysAndEmptySecretsAreRefused() {
        for (String name : List.of("", "a.b", "-x", "has space", "x".repeat(65))) {
            assertThat(thrown(() -> secrets.create(name, Map.of("k", "v"))).getMessage()).as(name).contains("Invalid secret name");
        }
        assertThat(thrown(() -> secrets.create("ok", Map.of())).getMessage()).contains("needs at least one value");
        assertThat(thrown(() -> secrets.create("ok", Map.of("a.b", "v"))).getMessage()).contains("Invalid key 'a.b'");
    }

    @Test
    void aChangedCiphertextOrAnotherKeyIsReportedNeverDecryptedWrongly() throws Exception {
        secrets.create("db", Map.of("password", VALUE));
        secrets.create("other", Map.of("password", "x"));
        // the other row's ciphertext moved onto this one: the name is bound into the encryption, so it does not open
        metadata.write(c -> c.createStatement().executeUpdate(
                "UPDATE secrets SET (nonce, ciphertext) = (SELECT nonce, ciphertext FROM secrets WHERE name = 'other') WHERE name = 'db'"));
        FlywheelException swapped = thrown(() -> secrets.get("db"));
        assertThat(swapped.code()).isEqualTo(ErrorCode.CORRUPT);
        assertThat(swapped.getMessage()).contains("does not decrypt");

        Files.writeString(dir.resolve("secrets.key"), Base64.getEncoder().encodeToString(new byte[32]) + "\n");
        FlywheelException wrongKey = thrown(() -> secrets.get("other"));
        assertThat(wrongKey.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(wrongKey.getMessage()).contains("was encrypted with key").contains("restore the key file");

        Files.delete(dir.resolve("secrets.key"));
        assertThat(thrown(() -> secrets.get("other")).getMessage()).contains("key file").contains("is missing");
        Files.writeString(dir.resolve("secrets.key"), "not a key");
        assertThat(thrown(() -> secrets.get("other")).getMessage()).contains("is not a key");
    }

    @Test
    void aKeyFileOthersCouldReadIsMadeOwnerOnly() throws Exception {
        secrets.create("db", Map.of("password", VALUE));
        Path key = dir.resolve("secrets.key");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(secrets.get("db").orElseThrow().value("password")).isEqualTo(VALUE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    }

    @Test
    void processesRacingToCreateTheFirstSecretShareOneKey() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                int n = i;
                writes.add(pool.submit(() -> new LocalSecretsStore(metadata, dir.resolve("secrets.key"), Clock.systemUTC())
                        .create("s" + n, Map.of("v", "value-" + n))));
            }
            for (Future<?> f : writes) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < 16; i++) {
            assertThat(secrets.get("s" + i).orElseThrow().value("v")).isEqualTo("value-" + i);
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("secrets.key"))).containsExactly("secrets.key");
        }
    }
}
