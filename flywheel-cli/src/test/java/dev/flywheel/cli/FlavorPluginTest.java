package dev.flywheel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.schedule.daemon.ProcessRunLauncher;
import dev.flywheel.sdk.flavor.Flavor;
import dev.flywheel.store.artifact.ArtifactStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A flavor Flywheel has never heard of: its source is compiled here, at test time, into a jar that lists it in
 * META-INF/services, exactly as a third party would ship one. With the jar on the classpath it is listed, its settings
 * are checked, a stack uses it, and a pipeline runs on that stack; no Flywheel source names it.
 */
class FlavorPluginTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A {@code memory} artifact store: blobs in this process's memory. Writes a marker when built. */
    private static final String STORE = """
            package org.example.memstore;

            import dev.flywheel.sdk.FlywheelException;
            import dev.flywheel.store.artifact.ArtifactStore;
            import dev.flywheel.store.artifact.BlobCheck;
            import dev.flywheel.store.artifact.BlobWriter;
            import dev.flywheel.store.artifact.StoredBlob;
            import java.io.*;
            import java.net.URI;
            import java.security.MessageDigest;
            import java.util.HexFormat;
            import java.util.Map;
            import java.util.concurrent.ConcurrentHashMap;

            public final class MemoryArtifactStore implements ArtifactStore {
                private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
                private final long maxBytes;

                MemoryArtifactStore(long maxBytes) {
                    this.maxBytes = maxBytes;
                }

                public StoredBlob write(BlobWriter writer) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    try {
                        writer.writeTo(out);
                    } catch (IOException e) {
                        throw FlywheelException.invalid("cannot serialize: " + e.getMessage());
                    }
                    byte[] bytes = out.toByteArray();
                    if (bytes.length > maxBytes) {
                        throw FlywheelException.invalid("blob of " + bytes.length + " bytes is over maxBytes " + maxBytes);
                    }
                    String sha = sha(bytes);
                    blobs.put("mem/" + sha, bytes);
                    return new StoredBlob(URI.create("mem/" + sha), bytes.length, sha);
                }

                public InputStream open(URI location) {
                    byte[] b = blobs.get(location.toString());
                    if (b == null) {
                        throw FlywheelException.notFound("no blob " + location + " in memory");
                    }
                    return new ByteArrayInputStream(b);
                }

                public boolean exists(URI location) {
                    return blobs.containsKey(location.toString());
                }

                public long size(URI location) {
                    byte[] b = blobs.get(location.toString());
                    return b == null ? -1 : b.length;
                }

                public BlobCheck verify(URI location) {
                    byte[] b = blobs.get(location.toString());
                    if (b == null) {
                        throw FlywheelException.notFound("no blob " + location + " in memory");
                    }
                    String name = location.toString().substring("mem/".length());
                    return new BlobCheck(location, name, sha(b), b.length);
                }

                public URI locate(URI location) {
                    return URI.create("memory:/" + location);
                }

                public URI root() {
                    return URI.create("memory:/");
                }

                private static String sha(byte[] b) {
                    try {
                        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
            """;

    private static final String FLAVOR = """
            package org.example.memstore;

            import dev.flywheel.sdk.flavor.ComponentKind;
            import dev.flywheel.sdk.flavor.Flavor;
            import dev.flywheel.sdk.flavor.FlavorContext;
            import dev.flywheel.sdk.flavor.Setting;
            import dev.flywheel.store.artifact.ArtifactStore;
            import java.nio.file.Files;

            public final class MemoryArtifactStoreFlavor implements Flavor<MemoryArtifactStoreFlavor.Settings, ArtifactStore> {
                public enum Eviction { NONE, OLDEST_FIRST }

                public record Settings(
                        @Setting(description = "the most bytes one blob may have", defaultValue = "1048576") long maxBytes,
                        @Setting(description = "a name for the store", required = true) String label,
                        @Setting(description = "what to drop when full", defaultValue = "none") Eviction eviction,
                        @Setting(description = "a token the store would use", secret = true) String token) {
                    public Settings {
                        if (maxBytes < 1) {
                            throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
                        }
                    }
                }

                public ComponentKind kind() {
                    return ComponentKind.ARTIFACT_STORE;
                }

                public String name() {
                    return "memory";
                }

                public String description() {
                    return "blobs in this process's memory";
                }

                public Class<Settings> settingsType() {
                    return Settings.class;
                }

                public ArtifactStore create(Settings settings, FlavorContext context) {
                    try {
                        Files.writeString(context.projectFolder().resolve("memory-store-built.txt"), "component=" + context.componentName()
                                + " label=" + settings.label() + " tokenLength=" + (settings.token() == null ? -1 : settings.token().length()));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    return new MemoryArtifactStore(settings.maxBytes());
                }
            }
            """;

    @TempDir
    static Path jarDir;
    static Path jar;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildPluginJar() throws Exception {
        Path src = jarDir.resolve("src/org/example/memstore");
        Files.createDirectories(src);
        Files.writeString(src.resolve("MemoryArtifactStore.java"), STORE);
        Files.writeString(src.resolve("MemoryArtifactStoreFlavor.java"), FLAVOR);
        Path classes = Files.createDirectories(jarDir.resolve("classes"));
        String classpath = location(Flavor.class) + java.io.File.pathSeparator + location(ArtifactStore.class);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int code = javac.run(null, errors, errors, "--release", "21", "-cp", classpath, "-d", classes.toString(),
                src.resolve("MemoryArtifactStore.java").toString(), src.resolve("MemoryArtifactStoreFlavor.java").toString());
        assertThat(code).as(errors.toString(StandardCharsets.UTF_8)).isZero();
        jar = jarDir.resolve("memory-flavor.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest); Stream<Path> files = Files.walk(classes)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                Files.copy(p, out);
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/services/dev.flywheel.sdk.flavor.Flavor"));
            out.write("org.example.memstore.MemoryArtifactStoreFlavor\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }

    private static String location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private CliResult flywheel(String... args) {
        List<String> all = new ArrayList<>(List.of("--classpath", jar.toString()));
        all.addAll(List.of(args));
        return CliResult.inProject(dir.resolve(".flywheel"), all.toArray(String[]::new));
    }

    private static void ok(CliResult r) {
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
    }

    @Test
    void aFlavorFromAJarIsListedRegisteredAndRunsAPipeline() throws Exception {
        ok(flywheel("init"));
        CliResult without = CliResult.inProject(dir.resolve(".flywheel"), "flavors", "list", "--kind", "artifact-store");
        assertThat(without.out()).contains("artifact-store local").doesNotContain("memory");

        CliResult list = flywheel("flavors", "list", "--kind", "artifact-store");
        ok(list);
        assertThat(list.out()).contains("artifact-store memory  (memory-flavor.jar)").contains("blobs in this process's memory")
                .containsPattern("maxBytes +integer +1048576 +no +the most bytes one blob may have")
                .containsPattern("label +string +- +yes")
                .containsPattern("eviction +one of: none, oldest-first +none +no")
                .containsPattern("token +string, secret +- +no");
        JsonNode json = JSON.readTree(flywheel("flavors", "list", "--json").out());
        JsonNode memory = null;
        for (JsonNode f : json) {
            if (f.get("name").asText().equals("memory")) {
                memory = f;
            }
        }
        assertThat(memory).isNotNull();
        assertThat(memory.get("kind").asText()).isEqualTo("artifact-store");
        assertThat(memory.get("settings").get(1).get("required").asBoolean()).isTrue();

        ok(flywheel("secret", "create", "memtoken", "-v", "token=s3cr3t-value-42"));
        ok(flywheel("artifact-store", "register", "mem", "--flavor", "memory", "-s", "label=scratch", "-s", "eviction=oldest-first",
                "-s", "token={{secret.memtoken.token}}"));
        ok(flywheel("stack", "register", "inmemory", "-a", "mem", "--set"));
        CliResult describe = flywheel("stack", "describe");
        assertThat(describe.out()).contains("Stack: inmemory (active)").containsPattern("artifact-store +mem +memory")
                .contains("token={{secret.memtoken.token}}").doesNotContain("s3cr3t");

        CliResult run = flywheel("run", "hello", "--param", "greet.name=memory");
        ok(run);
        assertThat(Files.readString(dir.resolve(".flywheel/memory-store-built.txt")))
                .as("built through its flavor with the secret resolved at use").isEqualTo("component=mem label=scratch tokenLength=15");
        assertThat(Files.exists(dir.resolve(".flywheel/artifacts/blobs")) && Files.list(dir.resolve(".flywheel/artifacts/blobs")).findAny().isPresent())
                .as("nothing written to the local artifact folder").isFalse();
        JsonNode artifacts = JSON.readTree(flywheel("artifacts", "list", "--json").out());
        assertThat(artifacts).hasSize(2);
        CliResult artifact = flywheel("artifacts", "describe", artifacts.get(0).get("id").asText());
        assertThat(artifact.out()).contains("memory:/mem/");

        CliResult noJar = CliResult.inProject(dir.resolve(".flywheel"), "run", "hello");
        assertThat(noJar.exit()).isEqualTo(2);
        assertThat(noJar.err()).contains("Unknown artifact-store flavor 'memory'").contains("--classpath or FLYWHEEL_CLASSPATH");
    }

    @Test
    void badSettingsAreRefusedAtRegisterNamingTheKeyAndWhatIsAllowed() {
        ok(flywheel("init"));
        ok(flywheel("secret", "create", "memtoken", "-v", "token=abc", "-v", "size=huge"));
        record Case(String why, List<String> settings, String... expected) {
        }
        List<Case> cases = List.of(
                new Case("unknown key", List.of("label=x", "colour=red"), "Unknown setting 'colour'", "accepted: maxBytes, label, eviction, token"),
                new Case("near miss", List.of("label=x", "MaxBytes=3"), "Unknown setting 'MaxBytes'", "did you mean 'maxBytes'?"),
                new Case("wrong type", List.of("label=x", "maxBytes=lots"), "setting 'maxBytes' must be an integer, got 'lots'"),
                new Case("wrong enum", List.of("label=x", "eviction=random"), "setting 'eviction' must be one of: none, oldest-first, got 'random'"),
                new Case("missing required", List.of("maxBytes=3"), "setting 'label' is required (string: a name for the store)", "-s label=VALUE"),
                new Case("record refuses", List.of("label=x", "maxBytes=0"), "maxBytes must be positive, got 0"),
                new Case("secret in plain text", List.of("label=x", "token=abc"), "setting 'token' is a secret", "{{secret.NAME.token}}"),
                new Case("bad reference", List.of("label=x", "token={{secret.memtoken}}"), "'{{secret.memtoken}}' is not a reference"),
                new Case("unclosed reference", List.of("label={{secret.memtoken.token"), "Unmatched '{{'"),
                new Case("missing secret", List.of("label=x", "token={{secret.nothere.token}}"), "secret 'nothere', which does not exist",
                        "flywheel secret create nothere"),
                new Case("missing key", List.of("label=x", "token={{secret.memtoken.tok}}"), "Secret 'memtoken' has no key 'tok'; it has: size, token"),
                new Case("secret of the wrong type", List.of("label=x", "maxBytes={{secret.memtoken.size}}"),
                        "setting 'maxBytes' must be an integer, got '{{secret.memtoken.size}}' (resolved from a secret)"),
                new Case("env outside the bootstrap", List.of("label={{env.HOME}}"), "{{env.VAR}} is only for project.properties"));
        for (Case c : cases) {
            List<String> args = new ArrayList<>(List.of("artifact-store", "register", "bad", "--flavor", "memory"));
            c.settings().forEach(s -> args.addAll(List.of("-s", s)));
            CliResult r = flywheel(args.toArray(String[]::new));
            assertThat(r.exit()).as(c.why() + ": " + r.err()).isEqualTo(2);
            assertThat(r.err()).as(c.why()).contains(c.expected()).doesNotContain("huge").doesNotContain("\tat ");
        }
        assertThat(flywheel("artifact-store", "list").out()).as("nothing half-registered").doesNotContain("bad");
        CliResult unknownFlavor = flywheel("artifact-store", "register", "x", "--flavor", "s4");
        assertThat(unknownFlavor.err()).contains("Unknown artifact-store flavor 's4'; available: [local, memory, s3]");
    }

    @Test
    void theJarOnFlywheelClasspathAddsTheFlavorToAFreshProcess() throws Exception {
        ok(flywheel("init"));
        List<String> cmd = new ArrayList<>(ProcessRunLauncher.cliCommand(Map.of(), List.of("-XX:TieredStopAtLevel=1"), Main.class.getName()));
        cmd.addAll(List.of("--home", dir.resolve(".flywheel").toString(), "flavors", "list", "--kind", "artifact-store", "--json"));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("FLYWHEEL_CLASSPATH", jar.toString());
        Process p = pb.redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        assertThat(JSON.readTree(out).findValuesAsText("name")).contains("local", "memory");
    }
}
