package dev.flywheel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code flywheel secret}: values go in and are used by components, but no command ever prints one. */
class SecretCliTest {
    private static final String VALUE = "Tr0ub4dor&3-not-in-output";

    @TempDir
    Path dir;

    CliResult flywheel(String... args) {
        return CliResult.inProject(dir.resolve(".flywheel"), args);
    }

    private static void ok(CliResult r) {
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out() + r.err()).doesNotContain(VALUE);
    }

    @Test
    void secretsAreCreatedListedDescribedUsedAndDeletedWithoutEverPrintingAValue() throws Exception {
        ok(flywheel("init"));
        CliResult create = flywheel("secret", "create", "db", "-v", "password=" + VALUE, "-v", "user=ml", "--from-env", "PATH=path");
        ok(create);
        assertThat(create.out()).contains("Secret 'db' created with keys password, path, user").contains("{{secret.db.password}}");

        CliResult list = flywheel("secret", "list");
        ok(list);
        assertThat(list.out()).contains("db").contains("password, path, user");
        JsonNode json = new ObjectMapper().readTree(flywheel("secret", "list", "--json").out());
        assertThat(json.get(0).get("keys")).hasSize(3);

        CliResult describe = flywheel("secret", "describe", "db");
        ok(describe);
        assertThat(describe.out()).contains("password = ****").contains("Used by:  -");
        ok(flywheel("secret", "describe", "db", "--json"));

        ok(flywheel("model-deployer", "register", "careful", "--flavor", "local", "-s", "serverJvmOptions=-Duser={{secret.db.user}}"));
        assertThat(flywheel("secret", "describe", "db").out()).contains("model-deployer 'careful' (setting serverJvmOptions)");
        CliResult inUse = flywheel("secret", "delete", "db", "-y");
        assertThat(inUse.exit()).isEqualTo(4);
        assertThat(inUse.err()).contains("Secret 'db' is used by model-deployer 'careful'").contains("--force");

        CliResult taken = flywheel("secret", "create", "db", "-v", "password=" + VALUE);
        assertThat(taken.exit()).isEqualTo(4);
        assertThat(taken.err()).contains("already exists").doesNotContain(VALUE);

        for (List<String> bad : List.of(List.of("secret", "create", "x.y", "-v", "k=v"), List.of("secret", "create", "x"),
                List.of("secret", "create", "x", "-v", "novalue"), List.of("secret", "create", "x", "--from-env", "FLYWHEEL_SURELY_UNSET_VAR"),
                List.of("secret", "create", "x", "-v", "k=1", "-v", "k=2"))) {
            CliResult r = flywheel(bad.toArray(String[]::new));
            assertThat(r.exit()).as(String.join(" ", bad) + ": " + r.err()).isEqualTo(2);
        }
        assertThat(flywheel("secret", "describe", "nope").exit()).isEqualTo(3);

        ok(flywheel("secret", "delete", "db", "-y", "--force"));
        assertThat(flywheel("secret", "list").out()).contains("No secrets yet");
        assertThat(flywheel("secret", "delete", "db", "-y").exit()).isEqualTo(3);

        Path home = dir.resolve(".flywheel");
        assertThat(Files.getPosixFilePermissions(home.resolve("secrets.key"))).hasToString("[OWNER_READ, OWNER_WRITE]");
        for (String file : List.of("flywheel.db", "flywheel.db-wal")) {
            if (Files.exists(home.resolve(file))) {
                assertThat(new String(Files.readAllBytes(home.resolve(file)), StandardCharsets.ISO_8859_1)).as(file).doesNotContain(VALUE);
            }
        }
    }

    @Test
    void deleteWithoutATerminalAsksForYes() {
        ok(flywheel("init"));
        ok(flywheel("secret", "create", "hook", "-v", "token=" + VALUE));
        CliResult refused = flywheel("secret", "delete", "hook");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("pass -y").contains("flywheel secret delete hook -y");
        assertThat(flywheel("secret", "list").out()).contains("hook");
    }
}
