package dev.flywheel.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests: one per test JVM, started on first use from the machine's PostgreSQL binaries
 * (Debian's {@code postgresql} package, which {@code .ci/run} installs; or {@code FLYWHEEL_PG_BIN} naming a
 * {@code bin} folder), on a free loopback port, in a fresh folder under the temp dir. Each test class asks for a
 * {@link #createDatabase fresh database}, so classes never see each other's rows.
 *
 * <p>Why the machine's binaries: PostgreSQL refuses to run as root, and CI runs as root. The Debian package brings a
 * {@code postgres} system user; as root the server runs as that user ({@code runuser}), otherwise as the current one.
 * (Binaries from a Maven artifact, such as zonky's, would start the server as the JVM's user, root on CI.)
 *
 * <p>The server is tied to this JVM: it runs under a small shell that stops it (fast shutdown) when its standard
 * input closes, which happens when the JVM exits or is killed, so no test leaves a server behind. Settings trade
 * durability for speed ({@code fsync=off}); authentication is real ({@code scram-sha-256}) so tests see wrong
 * passwords refused.
 */
public final class PostgresServer {
    /** The superuser the tests connect as, and its password. */
    public static final String USER = "flywheel";
    public static final String PASSWORD = "flywheel-test-password";
    private static final String PREFIX = "flywheel-pg-";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer shared;

    private final Path folder;
    private final int port;
    private final Process process;
    private final OutputStream lifeline;
    private final String version;

    /** A database of the shared server: what a client needs to connect. */
    public record Database(String name, String url, String user, String password) {
        /** Opens a plain connection (no pool), for a test to look behind the store's back. */
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }
    }

    private PostgresServer(Path folder, int port, Process process, OutputStream lifeline, String version) {
        this.folder = folder;
        this.port = port;
        this.process = process;
        this.lifeline = lifeline;
        this.version = version;
    }

    /**
     * The server of this JVM, started on first call (a few seconds: initdb, then start).
     *
     * @throws org.opentest4j.TestAbortedException when no binaries are found and {@link #REQUIRE} is not set: the
     *                               test is skipped, saying how to install PostgreSQL
     * @throws IllegalStateException saying how to install PostgreSQL when no binaries are found and {@link #REQUIRE}
     *                               is set, or why it did not start (with the end of its log)
     */
    /** Set to 1 (as CI does) to make a missing PostgreSQL fail the tests that need it rather than skip them. */
    public static final String REQUIRE = "FLYWHEEL_REQUIRE_POSTGRES";

    public static synchronized PostgresServer shared() {
        if (shared == null) {
            // A user's clone without PostgreSQL skips these tests, saying why; CI (.ci/run) installs it and sets
            // FLYWHEEL_REQUIRE_POSTGRES=1, so there a missing server fails instead of skipping quietly.
            if (binaries().isEmpty() && !"1".equals(System.getenv(REQUIRE))) {
                org.junit.jupiter.api.Assumptions.abort("PostgreSQL is not installed, so the tests on a real PostgreSQL are skipped:"
                        + " install it (apt-get install -y postgresql; .ci/run does) or set FLYWHEEL_PG_BIN to the folder holding"
                        + " initdb and postgres");
            }
            shared = start();
            PostgresServer s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "postgres-test-server-stop"));
        }
        return shared;
    }

    /** A new, empty database owned by {@link #USER}, named after {@code hint} (a test class name) plus a counter. */
    public Database createDatabase(String hint) {
        return createDatabase(hint, "template0");
    }

    /** A new database copied from {@code template} (which no one may be connected to). */
    public Database createDatabase(String hint, String template) {
        String name = (hint.replaceAll("[^A-Za-z0-9]", "_").toLowerCase(Locale.ROOT) + "_" + DATABASES.incrementAndGet()
                + "_" + UUID.randomUUID().toString().substring(0, 6));
        if (name.length() > 60) {
            name = name.substring(name.length() - 60);
        }
        name = "t_" + name.replaceAll("^_+", "");
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, PASSWORD); Statement s = c.createStatement()) {
            // FILE_COPY (PostgreSQL 15+) copies a small template faster than the default, which logs every page
            s.execute("CREATE DATABASE " + name + " TEMPLATE " + template + " ENCODING 'UTF8'"
                    + (majorVersion(version) >= 15 ? " STRATEGY FILE_COPY" : ""));
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create test database " + name + " on " + url("postgres") + ": " + e, e);
        }
        return new Database(name, url(name), USER, PASSWORD);
    }

    /** Drops a database of this server, disconnecting whoever is still connected (best effort). */
    public void dropDatabase(String name) {
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            // a leftover database goes with the server's folder when the JVM ends
        }
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/DB}. */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    /** The server's major version, as {@code SHOW server_version} starts. */
    public String version() {
        return version;
    }

    private static PostgresServer start() {
        Path bin = binaries().orElseThrow(() -> new IllegalStateException("PostgreSQL is not installed, and the PostgreSQL"
                + " tests start a real server: install it (apt-get install -y postgresql; .ci/run does) or set FLYWHEEL_PG_BIN"
                + " to the folder holding initdb and postgres"));
        removeLeftovers();
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            Path folder = Files.createTempDirectory(PREFIX);
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
            Path data = folder.resolve("data");
            Path pwfile = folder.resolve("pwfile");
            Files.writeString(pwfile, PASSWORD + "\n", StandardCharsets.UTF_8);
            if (root) {
                run(List.of("chown", "-R", "postgres:", folder.toString()), folder, "chown");
            }
            run(asServerUser(root, List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER,
                    "--auth=scram-sha-256", "--pwfile=" + pwfile, "-E", "UTF8", "--locale=C", "--no-sync")), folder, "initdb");
            IOException last = null;
            for (int attempt = 0; attempt < 5; attempt++) {
                int port = freePort();
                Path log = folder.resolve("server.log");
                // The shell stops the server when its stdin closes: when this JVM exits, however it exits.
                String script = "\"$0\" \"$@\" & pid=$!; read -r _; kill -INT $pid; wait $pid";
                List<String> command = new ArrayList<>(List.of("sh", "-c", script, bin.resolve("postgres").toString(),
                        "-D", data.toString(), "-p", String.valueOf(port), "-k", folder.toString(),
                        "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
                        "-c", "full_page_writes=off", "-c", "max_connections=300", "-c", "shared_buffers=64MB"));
                Process p = new ProcessBuilder(asServerUser(root, command)).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
                OutputStream lifeline = p.getOutputStream();
                String version = awaitReady(port, p, log);
                if (version != null) {
                    return new PostgresServer(folder, port, p, lifeline, version);
                }
                lifeline.close();
                p.waitFor(10, TimeUnit.SECONDS);
                last = new IOException("PostgreSQL did not start on port " + port + ": " + tail(log));
            }
            throw last;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the PostgreSQL test server from " + bin + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting PostgreSQL", e);
        }
    }

    private static List<String> asServerUser(boolean root, List<String> command) {
        if (!root) {
            return command;
        }
        List<String> out = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        out.addAll(command);
        return out;
    }

    /** Waits up to 60 s for the server to take connections; its version, or null when the process ended first. */
    private static String awaitReady(int port, Process p, Path log) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                return null;
            }
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", USER, PASSWORD);
                 Statement s = c.createStatement(); var rs = s.executeQuery("SHOW server_version")) {
                rs.next();
                return rs.getString(1);
            } catch (SQLException e) {
                last = e;
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
        }
        throw new IOException("PostgreSQL did not accept connections within 60 s (" + last + "): " + tail(log));
    }

    private static void run(List<String> command, Path folder, String what) throws IOException, InterruptedException {
        Path log = folder.resolve(what + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(what + " did not finish within 120 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(what + " failed (exit " + p.exitValue() + "): " + tail(log));
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The bin folder: FLYWHEEL_PG_BIN, else the newest /usr/lib/postgresql/N/bin, else initdb on the PATH. */
    static Optional<Path> binaries() {
        String configured = System.getenv("FLYWHEEL_PG_BIN");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(p -> Files.isExecutable(p.resolve("initdb")));
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Optional<Path> newest = versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("postgres")))
                        .max(Comparator.comparingInt(b -> majorVersion(b.getParent().getFileName().toString())));
                if (newest.isPresent()) {
                    return newest;
                }
            } catch (IOException ignored) {
                // fall through to the PATH
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir);
            if (Files.isExecutable(p.resolve("initdb")) && Files.isExecutable(p.resolve("postgres"))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static int majorVersion(String name) {
        try {
            return Integer.parseInt(name.split("[^0-9]", 2)[0]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Folders of servers whose JVM was killed (their server stopped with it): removed, best effort. */
    private static void removeLeftovers() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, PREFIX + "*")) {
            for (Path d : dirs) {
                Path pid = d.resolve("data/postmaster.pid");
                boolean running = false;
                if (Files.exists(pid)) {
                    try {
                        long p = Long.parseLong(Files.readAllLines(pid).getFirst().strip());
                        running = ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false);
                    } catch (IOException | RuntimeException unreadable) {
                        running = true; // being written: leave it
                    }
                }
                if (!running && Files.getLastModifiedTime(d).toMillis() < System.currentTimeMillis() - Duration.ofMinutes(10).toMillis()) {
                    deleteTree(d);
                }
            }
        } catch (IOException ignored) {
            // nothing to clean, or not allowed to: not this test's business
        }
    }

    private synchronized void stop() {
        try {
            lifeline.close(); // the shell's read returns; it stops the server (fast shutdown) and waits for it
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the JVM is exiting; the server stops with its shell anyway
        }
        deleteTree(folder);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
