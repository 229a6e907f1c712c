package dev.flywheel.server;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.PrivateFiles;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a running server tells other commands about itself ({@code .flywheel/server/server.json}, mode 0600): its
 * process and URL. {@code server status} and {@code flywheel ui} read it; a file whose process is gone, or whose
 * process is another program by now (a reused pid), describes no server.
 *
 * @param processStart when the process started, so a reused pid is not taken for the server
 */
public record ServerState(long pid, Instant processStart, String url, String host, int port, Instant startedAt) {
    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** What {@link #observe} found; switched on without default. */
    public sealed interface Status {
        /** The process is alive and its health endpoint answers. */
        record Running(ServerState state) implements Status {
        }

        /** A state file is there but its process is gone or does not answer. */
        record Stale(ServerState state, String why) implements Status {
        }

        /** No server has announced itself in this project. */
        record Stopped() implements Status {
        }
    }

    /** This process, serving {@code server}. */
    public static ServerState of(FlywheelServer server, Instant now) {
        ProcessHandle self = ProcessHandle.current();
        return new ServerState(self.pid(), self.info().startInstant().orElse(null), server.url().toString(), server.settings().host(),
                server.port(), now);
    }

    public static Path file(Path projectHome) {
        return projectHome.resolve("server").resolve("server.json");
    }

    public static Optional<ServerState> read(Path projectHome) {
        Path f = file(projectHome);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(f.toFile(), ServerState.class));
        } catch (IOException e) {
            return Optional.empty(); // half-written by a crash: no server is described by it
        }
    }

    /** Writes the file atomically (temporary name, then rename). */
    public void write(Path projectHome) {
        Path f = file(projectHome);
        try {
            PrivateFiles.createDirectories(f.getParent());
            Path tmp = f.resolveSibling("server.json." + pid + ".tmp");
            Files.deleteIfExists(tmp);
            PrivateFiles.createFile(tmp);
            Files.write(tmp, JSON.writeValueAsBytes(this));
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot write " + f + ": " + e.getMessage(), e);
        }
    }

    /** Removes the file if it still describes this state's process (a newer server's file is left alone). */
    public void remove(Path projectHome) {
        read(projectHome).filter(s -> s.pid() == pid).ifPresent(s -> {
            try {
                Files.deleteIfExists(file(projectHome));
            } catch (IOException ignored) {
                // the next status reads it as stale
            }
        });
    }

    /** The live process this file names, if it is still the one that wrote it. */
    public Optional<ProcessHandle> process() {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> processStart == null || p.info().startInstant().map(processStart::equals).orElse(true));
    }

    /** Whether the project's server runs and answers now: reads the file, checks the process and the health endpoint. */
    public static Status observe(Path projectHome) {
        Optional<ServerState> state = read(projectHome);
        if (state.isEmpty()) {
            return new Status.Stopped();
        }
        ServerState s = state.get();
        if (s.process().isEmpty()) {
            return new Status.Stale(s, "its process " + s.pid() + " has ended");
        }
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(s.url()).resolve("/api/v1/health"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200 ? new Status.Running(s) : new Status.Stale(s, "its health check answered " + r.statusCode());
        } catch (IOException e) {
            return new Status.Stale(s, "it does not answer at " + s.url() + " (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Status.Stale(s, "interrupted while asking it");
        }
    }
}
