package dev.flywheel.runtime;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each module numbers its Flyway migrations in its own range, so two modules (or two branches) never take the same
 * number and a migration's number says which module owns it. The table is docs/architecture.md's "Migration
 * numbers"; keep both in step.
 */
class MigrationRangesTest {
    /** Module -> first and last number of its range. */
    static final Map<String, int[]> RANGES = Map.of(
            "flywheel-store", new int[]{100, 199},
            "flywheel-engine", new int[]{200, 299},
            "flywheel-registry", new int[]{300, 399},
            "flywheel-deploy", new int[]{400, 499},
            "flywheel-schedule", new int[]{500, 599},
            "flywheel-runtime", new int[]{600, 699},
            "flywheel-monitor", new int[]{700, 799},
            "flywheel-cd", new int[]{800, 899});
    /** Numbers taken before ranges existed; they keep their numbers (renaming would break existing databases). */
    static final Map<String, Set<Integer>> LEGACY = Map.of(
            "flywheel-store", Set.of(1, 2, 31),
            "flywheel-registry", Set.of(10, 11),
            "flywheel-deploy", Set.of(20, 22),
            "flywheel-engine", Set.of(21),
            "flywheel-schedule", Set.of(30, 32));
    private static final Pattern VERSIONED = Pattern.compile("V([0-9]+)__.*\\.sql");
    private static final Pattern MODULE = Pattern.compile(".*/(flywheel-[a-z]+)(?:-[0-9][^/]*\\.jar|/target/classes)/?.*");

    record Migration(String module, int version, String file) {
    }

    @Test
    void everyMigrationIsInItsModulesRangeAndNoNumberIsTakenTwice() throws Exception {
        List<Migration> all = migrations();
        assertThat(all).extracting(Migration::module).contains("flywheel-store", "flywheel-engine", "flywheel-registry",
                "flywheel-deploy", "flywheel-schedule");
        Map<Integer, Migration> byNumber = new HashMap<>();
        for (Migration m : all) {
            int[] range = RANGES.get(m.module());
            assertThat(range).as("%s ships migrations: give it a range in this test and in docs/architecture.md", m.module()).isNotNull();
            boolean inRange = m.version() >= range[0] && m.version() <= range[1];
            boolean legacy = LEGACY.getOrDefault(m.module(), Set.of()).contains(m.version());
            assertThat(inRange || legacy).as("%s of %s: its numbers are %d-%d", m.file(), m.module(), range[0], range[1]).isTrue();
            Migration other = byNumber.put(m.version(), m);
            assertThat(other).as("V%d is taken by %s and %s", m.version(), m.file(), other).isNull();
        }
    }

    @Test
    void rangesDoNotOverlap() {
        List<int[]> ranges = new ArrayList<>(RANGES.values());
        for (int i = 0; i < ranges.size(); i++) {
            for (int j = i + 1; j < ranges.size(); j++) {
                assertThat(ranges.get(i)[1] < ranges.get(j)[0] || ranges.get(j)[1] < ranges.get(i)[0]).isTrue();
            }
        }
    }

    private static List<Migration> migrations() throws IOException, URISyntaxException {
        List<Migration> out = new ArrayList<>();
        Enumeration<URL> folders = MigrationRangesTest.class.getClassLoader().getResources("db/migration/common");
        while (folders.hasMoreElements()) {
            URL url = folders.nextElement();
            Matcher module = MODULE.matcher(url.toString());
            assertThat(module.matches()).as("which module ships " + url).isTrue();
            URLConnection connection = url.openConnection();
            List<String> names = new ArrayList<>();
            if (connection instanceof JarURLConnection jar) {
                Enumeration<JarEntry> entries = jar.getJarFile().entries();
                while (entries.hasMoreElements()) {
                    String n = entries.nextElement().getName();
                    if (n.startsWith("db/migration/common/")) {
                        names.add(n.substring("db/migration/common/".length()));
                    }
                }
            } else {
                try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                    files.forEach(p -> names.add(p.getFileName().toString()));
                }
            }
            for (String n : names) {
                Matcher v = VERSIONED.matcher(n);
                if (v.matches()) {
                    out.add(new Migration(module.group(1), Integer.parseInt(v.group(1)), n));
                }
            }
        }
        return out;
    }
}
