package dev.flywheel.sdk.flavor;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Settings text into a flavor's record: every supported type, defaults, required, secrets, and every way to get it wrong. */
class FlavorSettingsTest {

    enum Mode { FAST, VERY_SAFE }

    record AllTypes(
            @Setting(description = "a name", required = true) String name,
            @Setting(defaultValue = "3") int count,
            Integer boxed,
            @Setting(defaultValue = "7") long big,
            Long bigBoxed,
            @Setting(defaultValue = "0.5") double ratio,
            Double ratioBoxed,
            @Setting(defaultValue = "false") boolean flag,
            Boolean flagBoxed,
            @Setting(defaultValue = "fast") Mode mode,
            @Setting(defaultValue = "30s") Duration timeout,
            Path folder,
            URI endpoint,
            List<String> tags,
            @Setting(secret = true, description = "the password") String password) {
        AllTypes {
            if (count > 100) {
                throw new IllegalArgumentException("count must be at most 100, got " + count);
            }
            if (name.equals("boom")) {
                throw FlywheelException.invalid("name 'boom' is reserved; the password " + password + " was given");
            }
        }
    }

    static final class AllTypesFlavor implements Flavor<AllTypes, Object> {
        public ComponentKind kind() {
            return ComponentKind.ALERTER;
        }

        public String name() {
            return "test";
        }

        public String description() {
            return "test";
        }

        public Class<AllTypes> settingsType() {
            return AllTypes.class;
        }

        public Object create(AllTypes settings, FlavorContext context) {
            return settings;
        }
    }

    private static final References.Resolver SECRETS = r -> switch (r.name() + "." + r.key()) {
        case "db.password" -> "hunter2!";
        case "db.port" -> "5432";
        case "db.word" -> "eleven";
        default -> throw FlywheelException.invalid(r + " refers to a secret that does not exist");
    };

    private static AllTypes bind(Map<String, String> raw) {
        return FlavorSettings.bind(new AllTypesFlavor(), raw, SECRETS);
    }

    private static Map<String, String> with(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("name", "n");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static String error(Map<String, String> raw) {
        try {
            bind(raw);
        } catch (FlywheelException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).containsAnyOf("Invalid settings for alerter flavor 'test'", "setting '")
                    .contains("alerter flavor 'test'").doesNotContain("hunter2").doesNotContain("eleven");
            return e.getMessage();
        }
        throw new AssertionError("accepted " + raw);
    }

    @Test
    void everySupportedTypeIsReadAndDefaultsFillWhatIsNotGiven() {
        AllTypes defaults = bind(with());
        assertThat(defaults).isEqualTo(new AllTypes("n", 3, null, 7L, null, 0.5, null, false, null, Mode.FAST, Duration.ofSeconds(30),
                null, null, null, null));

        AllTypes all = bind(with("count", " 42 ", "boxed", "-1", "big", "9000000000", "bigBoxed", "1", "ratio", "1e-3", "ratioBoxed", "2.5",
                "flag", "TRUE", "flagBoxed", "false", "mode", "very-safe", "timeout", "PT1M30S", "folder", "/tmp/x", "endpoint",
                "http://127.0.0.1:9000/a", "tags", "a, b,,c ", "password", "{{secret.db.password}}"));
        assertThat(all).isEqualTo(new AllTypes("n", 42, -1, 9_000_000_000L, 1L, 0.001, 2.5, true, false, Mode.VERY_SAFE,
                Duration.ofSeconds(90), Path.of("/tmp/x"), URI.create("http://127.0.0.1:9000/a"), List.of("a", "b", "c"), "hunter2!"));
    }

    @Test
    void durationsTakeShortFormsAndIso() {
        Map<String, Duration> forms = Map.of("250ms", Duration.ofMillis(250), "30s", Duration.ofSeconds(30), "5m", Duration.ofMinutes(5),
                "2h", Duration.ofHours(2), "1d", Duration.ofDays(1), "PT0.5S", Duration.ofMillis(500));
        forms.forEach((text, expected) -> assertThat(bind(with("timeout", text)).timeout()).as(text).isEqualTo(expected));
        assertThat(error(with("timeout", "soon"))).contains("setting 'timeout' must be a duration (30s, 5m, 2h, 1d, 250ms or ISO-8601 like PT30S), got 'soon'");
    }

    @Test
    void valuesOfTheWrongTypeNameTheSettingAndTheType() {
        record Bad(String key, String value, String type) {
        }
        List<Bad> bad = List.of(new Bad("count", "many", "an integer"), new Bad("count", "1.5", "an integer"),
                new Bad("boxed", "9999999999", "an integer"), new Bad("big", "7L", "an integer"), new Bad("ratio", "NaN", "a number"),
                new Bad("ratio", "Infinity", "a number"), new Bad("ratio", "0x10", "a number"), new Bad("ratioBoxed", "", "a number"),
                new Bad("flag", "yes", "a boolean"), new Bad("flagBoxed", "1", "a boolean"), new Bad("mode", "slow", "one of: fast, very-safe"),
                new Bad("endpoint", "http://a b", "an uri"), new Bad("folder", "  ", "a path"));
        for (Bad b : bad) {
            assertThat(error(with(b.key(), b.value()))).as(b.toString())
                    .contains("setting '" + b.key() + "' must be " + b.type()).contains("got '" + b.value() + "'");
        }
    }

    @Test
    void unknownKeysAreRefusedWithTheAcceptedOnes() {
        assertThat(error(with("colour", "red"))).contains("Unknown setting 'colour' for alerter flavor 'test'")
                .contains("accepted: name, count, boxed, big").contains("flywheel flavors list --kind alerter");
        assertThat(error(with("COUNT", "2"))).contains("did you mean 'count'?");
    }

    @Test
    void requiredSettingsMustBeGiven() {
        assertThat(error(Map.of())).contains("setting 'name' is required (string: a name); give it with -s name=VALUE");
    }

    @Test
    void theRecordsOwnChecksAreReportedWithSecretValuesMasked() {
        assertThat(error(with("count", "101"))).endsWith("count must be at most 100, got 101");
        assertThat(error(Map.of("name", "boom", "password", "{{secret.db.password}}"))).contains("the password **** was given");
    }

    @Test
    void secretSettingsMustBeReferencesAndReferencesMustResolve() {
        assertThat(error(with("password", "hunter2!"))).contains("setting 'password' is a secret and is never stored in plain text")
                .contains("-s password={{secret.NAME.password}}");
        assertThat(error(with("password", "x{{secret.db.password}}"))).contains("is a secret");
        assertThat(error(with("password", "{{secret.db}}"))).contains("'{{secret.db}}' is not a reference");
        assertThat(error(with("password", "{{secret.none.password}}"))).contains("setting 'password'").contains("does not exist");
        assertThat(error(with("count", "{{secret.db.word}}"))).contains("must be an integer, got '{{secret.db.word}}' (resolved from a secret)");
        assertThat(bind(with("big", "{{secret.db.port}}")).big()).isEqualTo(5432L);
        assertThat(bind(with("name", "user-{{ secret.db.word }}-{{secret.db.port}}")).name()).isEqualTo("user-eleven-5432");
    }

    @Test
    void referenceGrammar() {
        assertThat(References.parse("a {{secret.db.password}} b {{env.HOME}}")).containsExactly(
                new References.Reference("secret", "db", "password"), new References.Reference("env", "HOME", null));
        assertThat(References.parse("plain")).isEmpty();
        for (String bad : List.of("{{secret.db}}", "{{secret..k}}", "{{secret.d.b.c}}", "{{secrets.db.k}}", "{{}}", "{{env.}}",
                "{{secret.db.k}", "a {{ b", "{{secret.-x.k}}", "{{secret.db.9k}}")) {
            assertThatThrownBy(() -> References.parse(bad)).as(bad).isInstanceOf(FlywheelException.class)
                    .extracting(e -> ((FlywheelException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        }
        assertThat(References.isSingleSecretReference(" {{secret.db.password}} ")).isTrue();
        assertThat(References.isSingleSecretReference("{{env.HOME}}")).isFalse();
        assertThat(References.resolve("{{env.X}}/{{env.X}}", References.Resolver.environment(Map.of("X", "$1\\"), "no"))).isEqualTo("$1\\/$1\\");
        assertThatThrownBy(() -> References.resolve("{{secret.a.b}}", References.Resolver.environment(Map.of(), "secrets live in the store")))
                .hasMessageContaining("secrets live in the store");
        assertThatThrownBy(() -> References.resolve("{{env.NOPE}}", References.Resolver.environment(Map.of(), "")))
                .hasMessageContaining("environment variable NOPE, which is not set");
    }

    @Test
    void describeListsEverySettingWithTypeDefaultRequiredSecretAndDescription() {
        List<SettingInfo> info = FlavorSettings.describe(AllTypes.class);
        assertThat(info).hasSize(15);
        assertThat(info.get(0)).isEqualTo(new SettingInfo("name", "string", null, true, false, "a name"));
        assertThat(info.get(1)).isEqualTo(new SettingInfo("count", "integer", "3", false, false, ""));
        assertThat(info.get(9)).isEqualTo(new SettingInfo("mode", "one of: fast, very-safe", "fast", false, false, ""));
        assertThat(info.get(13).type()).isEqualTo("list");
        assertThat(info.get(14)).isEqualTo(new SettingInfo("password", "string", null, false, true, "the password"));
    }

    record Unreadable(java.util.Map<String, String> map) {
    }

    record BadDefault(@Setting(defaultValue = "soon") Duration d) {
    }

    record PrimitiveWithoutDefault(int n) {
    }

    @Test
    void recordsFlywheelCannotReadAreReportedAsTheAuthorsMistake() {
        assertThatThrownBy(() -> FlavorSettings.describe(Unreadable.class)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("setting 'map' has type java.util.Map<java.lang.String, java.lang.String>, which settings cannot hold");
        assertThatThrownBy(() -> FlavorSettings.describe(BadDefault.class)).hasMessageContaining("default 'soon' of setting 'd' is not a duration");
        assertThat(FlavorSettings.describe(PrimitiveWithoutDefault.class).getFirst().required()).isTrue();
    }
}
