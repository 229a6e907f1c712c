package dev.flywheel.server.internal;

import dev.flywheel.store.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every change asked of the server, allowed or refused, one JSON line each in {@code .flywheel/server/audit.log}
 * (mode 0600): when, which token (its name, never its secret), from where, what, and the answer's status.
 */
public final class AuditLog {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private final Path file;

    public AuditLog(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    synchronized void record(Instant at, String token, String remote, String method, String path, int status) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("at", at.toString());
        line.put("token", token);
        line.put("remote", remote);
        line.put("method", method);
        line.put("path", path);
        line.put("status", status);
        try {
            PrivateFiles.createDirectories(file.getParent());
            PrivateFiles.createFile(file);
            Files.writeString(file, ApiJson.write(line) + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // The change itself is done; losing its audit line must be seen by a human.
            log.error("audit log {} cannot be written: {}; lost entry: {}", file, e.getMessage(), line);
        }
    }
}
