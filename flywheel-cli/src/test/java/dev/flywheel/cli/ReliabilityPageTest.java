package dev.flywheel.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/reliability.md promises things "shown by" tests: every test it names must exist, so no promise loses its proof. */
class ReliabilityPageTest {
    private static final Pattern REFERENCE = Pattern.compile("`([A-Z][A-Za-z0-9]*)#([a-z][A-Za-z0-9]*)`");

    @Test
    void everyTestThePageNamesExists() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        Path page = root.resolve("docs/reliability.md");
        Map<String, List<String>> sources = new HashMap<>();
        try (Stream<Path> files = Files.walk(root, 12)) {
            for (Path p : files.filter(ReliabilityPageTest::testSource).toList()) {
                sources.computeIfAbsent(p.getFileName().toString().replace(".java", ""), k -> new ArrayList<>()).add(Files.readString(p));
            }
        }
        Matcher m = REFERENCE.matcher(Files.readString(page));
        List<String> missing = new ArrayList<>();
        int references = 0;
        while (m.find()) {
            if (m.group().equals("`Class#method`")) {
                continue; // the page's own explanation of the form
            }
            references++;
            String method = m.group(2);
            boolean found = sources.getOrDefault(m.group(1), List.of()).stream().anyMatch(src -> src.matches("(?s).*\\b" + method + "\\s*\\(.*"));
            if (!found) {
                missing.add(m.group(1) + "#" + method);
            }
        }
        assertThat(references).as("the page names its tests").isGreaterThan(50);
        assertThat(missing).as("tests named in docs/reliability.md that do not exist").isEmpty();
    }

    /** Test classes, and the testkit's helpers that tests share. */
    private static boolean testSource(Path file) {
        String p = file.toString().replace('\\', '/');
        return p.endsWith(".java") && (p.contains("/src/test/java/") || p.contains("/flywheel-testkit/src/main/java/"));
    }
}
