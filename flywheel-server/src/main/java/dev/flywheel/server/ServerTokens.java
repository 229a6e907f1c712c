package dev.flywheel.server;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.PrivateFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The server's bearer tokens: created, listed, revoked, verified. Only a token's sha256 is stored (in
 * {@code .flywheel/server/tokens.json}, mode 0600): the token itself is shown once, when created. A token has 256
 * random bits, so an unsalted hash is as strong as the token. Every verification reads the file, so a revoked
 * token stops working on the next request, also on a server that was started before the revocation.
 */
public final class ServerTokens {
    /** What a token may do. */
    public enum Scope {
        /** Read everything; change nothing. */
        READ,
        /** Read and change (promote, alias, start, stop, pause, ...). */
        WRITE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A stored token: never its secret. {@code prefix} is the secret's first characters, to tell tokens apart. */
    public record TokenInfo(String name, Scope scope, String prefix, Instant createdAt) {
    }

    /** A token just created; {@code secret} is shown this once and stored nowhere. */
    public record NewToken(TokenInfo info, String secret) {
    }

    private record Stored(String name, Scope scope, String prefix, String sha256, Instant createdAt) {
        TokenInfo info() {
            return new TokenInfo(name, scope, prefix, createdAt);
        }
    }

    private static final String PREFIX = "fwt_";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final Path file;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /** The tokens of the project whose home folder is {@code projectHome}. */
    public ServerTokens(Path projectHome, Clock clock) {
        this.file = projectHome.resolve("server").resolve("tokens.json");
        this.clock = clock;
    }

    public Path file() {
        return file;
    }

    /** Creates a token called {@code name}; CONFLICT when one has that name. */
    public synchronized NewToken create(String name, Scope scope) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw FlywheelException.invalid("Token name '" + name + "' is not valid: use 1 to 64 letters, digits, '_', '.' or '-',"
                    + " starting with a letter or digit (for example ci-deploy)");
        }
        List<Stored> all = read();
        if (all.stream().anyMatch(t -> t.name().equals(name))) {
            throw FlywheelException.conflict("A token named '" + name + "' exists; revoke it first (flywheel server token revoke "
                    + name + ") or choose another name");
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Stored stored = new Stored(name, scope, secret.substring(0, PREFIX.length() + 6), sha256(secret), clock.instant());
        all.add(stored);
        write(all);
        return new NewToken(stored.info(), secret);
    }

    /** Every token, oldest first. */
    public synchronized List<TokenInfo> list() {
        return read().stream().map(Stored::info).toList();
    }

    /** Removes the token called {@code name}; NOT_FOUND listing the names there are. */
    public synchronized TokenInfo revoke(String name) {
        List<Stored> all = read();
        Stored found = all.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow(() -> FlywheelException.notFound(
                "No token named '" + name + "'" + (all.isEmpty() ? "; there are none" : "; tokens: "
                        + all.stream().map(Stored::name).toList())));
        all.remove(found);
        write(all);
        return found.info();
    }

    /** The token whose secret this is, if it exists and is not revoked. Compares hashes in constant time. */
    public Optional<TokenInfo> verify(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            return Optional.empty();
        }
        byte[] given = sha256(secret).getBytes(StandardCharsets.US_ASCII);
        Optional<TokenInfo> match = Optional.empty();
        for (Stored t : read()) {
            if (MessageDigest.isEqual(given, t.sha256().getBytes(StandardCharsets.US_ASCII))) {
                match = Optional.of(t.info());
            }
        }
        return match;
    }

    private List<Stored> read() {
        if (!Files.exists(file)) {
            return new ArrayList<>();
        }
        try {
            return new ArrayList<>(JSON.readValue(file.toFile(), new TypeReference<List<Stored>>() {
            }));
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.CORRUPT, "The server's token file " + file + " cannot be read (" + e.getMessage()
                    + "); move it away and create the tokens again with: flywheel server token create NAME");
        }
    }

    /** Writes to a temporary file (0600) and renames it over the old one: a crash leaves the old file or the new one. */
    private void write(List<Stored> all) {
        try {
            PrivateFiles.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            PrivateFiles.createFile(tmp);
            Files.write(tmp, JSON.writeValueAsBytes(all));
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot write the server's token file " + file + ": " + e.getMessage(), e);
        }
    }

    private static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
