package dev.flywheel.sdk.flavor;

import dev.flywheel.sdk.FlywheelException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Finding flavors: broken or duplicate ones are listed with their problem and never stop the others. */
class FlavorsTest {

    record Empty() {
    }

    record Unreadable(Object anything) {
    }

    /** A flavor whose kind, name and settings are given. */
    record Fake(ComponentKind kind, String name, Class<? extends Record> settings) implements Flavor<Record, Object> {
        public String description() {
            return name + " of " + kind;
        }

        @SuppressWarnings("unchecked")
        public Class<Record> settingsType() {
            return (Class<Record>) settings;
        }

        public Object create(Record s, FlavorContext context) {
            return name;
        }
    }

    @Test
    void flavorsAreListedByKindThenNameAndFoundByBoth() {
        Flavors f = Flavors.of(List.of(new Fake(ComponentKind.MODEL_DEPLOYER, "zeta", Empty.class),
                new Fake(ComponentKind.ORCHESTRATOR, "local", Empty.class), new Fake(ComponentKind.MODEL_DEPLOYER, "alpha", Empty.class)));
        assertThat(f.list()).extracting(FlavorInfo::kind, FlavorInfo::name).containsExactly(
                org.assertj.core.groups.Tuple.tuple("orchestrator", "local"), org.assertj.core.groups.Tuple.tuple("model-deployer", "alpha"),
                org.assertj.core.groups.Tuple.tuple("model-deployer", "zeta"));
        assertThat(f.require(ComponentKind.MODEL_DEPLOYER, "alpha").name()).isEqualTo("alpha");
        assertThatThrownBy(() -> f.require(ComponentKind.MODEL_DEPLOYER, "kserve")).isInstanceOf(FlywheelException.class)
                .hasMessageContaining("Unknown model-deployer flavor 'kserve'; available: [alpha, zeta]")
                .hasMessageContaining("--classpath or FLYWHEEL_CLASSPATH");
        assertThat(f.list(ComponentKind.ALERTER)).isEmpty();
    }

    @Test
    void aBrokenOrDuplicateFlavorIsAProblemNotAFailure() {
        Flavors f = Flavors.of(List.of(new Fake(ComponentKind.ALERTER, "log", Empty.class), new Fake(ComponentKind.ALERTER, "log", Empty.class),
                new Fake(ComponentKind.ALERTER, "odd", Unreadable.class), new Fake(ComponentKind.ALERTER, "Bad Name", Empty.class)));
        assertThat(f.list(ComponentKind.ALERTER)).extracting(FlavorInfo::name).containsExactly("log", "odd");
        assertThat(f.problems()).hasSize(2).anySatisfy(p -> assertThat(p).contains("alerter flavor 'log' is provided twice"))
                .anySatisfy(p -> assertThat(p).contains("flavor name 'Bad Name' must be lower case"));
        assertThat(f.list(ComponentKind.ALERTER).get(1).problem()).contains("setting 'anything' has type java.lang.Object");
        assertThatThrownBy(() -> f.require(ComponentKind.ALERTER, "odd")).hasMessageContaining("alerter flavor 'odd'")
                .hasMessageContaining("cannot be used");
    }

    @Test
    void theSdkItselfProvidesNoFlavor() {
        assertThat(Flavors.discover(getClass().getClassLoader()).list()).isEmpty();
    }
}
