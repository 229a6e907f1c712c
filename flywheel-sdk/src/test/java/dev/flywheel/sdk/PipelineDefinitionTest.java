package dev.flywheel.sdk;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelineDefinitionTest {

    public static final class Load {
        public record Config(int rows) {
        }

        @Step(output = "numbers")
        public List<Integer> load(Config config) {
            return List.of(config.rows());
        }
    }

    public static final class Sum {
        @Step(output = "total")
        public Integer sum(@Input("numbers") List<Integer> numbers) {
            return numbers.stream().mapToInt(Integer::intValue).sum();
        }
    }

    public static final class Describe {
        @Outputs
        public record Stats(Integer count, String label) {
        }

        @Step
        public Stats describe(@Input("numbers") List<Integer> numbers) {
            return new Stats(numbers.size(), "n");
        }
    }

    public static final class Report {
        @Step(output = "report")
        public String report(@Input("total") Integer total, @Input("count") Integer count, StepContext context) {
            return total + "/" + count;
        }
    }

    public static final class WantsText {
        @Step(output = "done")
        public String run(@Input("total") String total) {
            return total;
        }
    }

    public static final class A {
        @Step(output = "a")
        public String run(@Input("b") String b) {
            return b;
        }
    }

    public static final class B {
        @Step(output = "b")
        public String run(@Input("c") String c) {
            return c;
        }
    }

    public static final class C {
        @Step(output = "c")
        public String run(@Input("a") String a) {
            return a;
        }
    }

    public static final class WantsDoubles {
        @Step(output = "total")
        public Double sum(@Input("numbers") List<Double> numbers) {
            return 0.0;
        }
    }

    public static final class ReturnsRawList {
        @SuppressWarnings("rawtypes")
        @Step(output = "numbers")
        public List load() {
            return List.of();
        }
    }

    public static final class ReturnsIntKeyedMap {
        @Step(output = "numbers")
        public java.util.Map<Integer, Double> load() {
            return java.util.Map.of();
        }
    }

    public static final class NoStepMethod {
        public String run() {
            return "";
        }
    }

    @Test
    void fanOutAndFanInAreWiredByNameInDependencyOrder() {
        Pipeline p = Pipeline.named("stats")
                .step(Report.class)
                .step(Sum.class)
                .step(Describe.class)
                .step(Load.class, new Load.Config(3))
                .build();

        assertThat(p.steps()).extracting(StepSpec::name).containsExactly("load", "sum", "describe", "report");
        assertThat(p.inputsOf("report")).containsExactlyInAnyOrder(
                new Wire("sum", "total", "report", "total"), new Wire("describe", "count", "report", "count"));
        assertThat(p.inputsOf("sum")).containsExactly(new Wire("load", "numbers", "sum", "numbers"));
    }

    @Test
    void twoStepsWithOneNameAreRejectedNamingBothClasses() {
        assertThatThrownBy(() -> Pipeline.named("p").step(Load.class, new Load.Config(1)).step("load", Sum.class).build())
                .isInstanceOf(FlywheelException.class)
                .hasMessageContaining("two steps named 'load'")
                .hasMessageContaining("Load and Sum")
                .satisfies(e -> assertThat(((FlywheelException) e).code()).isEqualTo(ErrorCode.INVALID_PIPELINE));
    }

    @Test
    void elementTypeMismatchBetweenProducerAndConsumerIsRefusedAtBuild() {
        assertThatThrownBy(() -> Pipeline.named("p").step(Load.class, new Load.Config(1)).step(WantsDoubles.class).build())
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PIPELINE))
                .hasMessageContaining("input 'numbers' expects List<Double>")
                .hasMessageContaining("output 'numbers' is List<Integer>");
    }

    @Test
    void outputsFlywheelCannotStoreAreRefusedAtBuildWithWhatToDeclare() {
        assertThatThrownBy(() -> Pipeline.named("p").step(ReturnsRawList.class).build())
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PIPELINE))
                .hasMessageContaining("Output 'numbers' of step class").hasMessageContaining("a raw List")
                .hasMessageContaining("List<Double>");
        assertThatThrownBy(() -> Pipeline.named("p").step(ReturnsIntKeyedMap.class).build())
                .hasMessageContaining("declared as Map<Integer, Double>").hasMessageContaining("String keys");
    }

    @Test
    void missingInputNamesTheStepTheInputAndTheFix() {
        assertThatThrownBy(() -> Pipeline.named("p").step(Sum.class).build())
                .hasMessageContaining("Step 'sum' needs input 'numbers'")
                .hasMessageContaining("no step of pipeline 'p' produces an output named 'numbers'")
                .hasMessageContaining(".withInput(\"numbers\"");
    }

    @Test
    void outputOfTheWrongTypeIsRejectedShowingBothTypes() {
        assertThatThrownBy(() -> Pipeline.named("p").step(Load.class, new Load.Config(1)).step(Sum.class).step(WantsText.class).build())
                .hasMessageContaining("Step 'wants_text' input 'total' expects String")
                .hasMessageContaining("step 'sum' output 'total' is Integer");
    }

    @Test
    void cycleIsRejectedShowingTheLoop() {
        assertThatThrownBy(() -> Pipeline.named("loop").step(A.class).step(B.class).step(C.class).build())
                .hasMessageContaining("form a cycle")
                .hasMessageContaining("a -> c -> b -> a");
    }

    @Test
    void ambiguousProducersMustBeBoundExplicitly() {
        assertThatThrownBy(() -> Pipeline.named("p")
                .step("load_a", Load.class, new Load.Config(1))
                .step("load_b", Load.class, new Load.Config(2))
                .step(Sum.class).build())
                .hasMessageContaining("several steps produce an output named 'numbers': [load_a, load_b]");

        Pipeline bound = Pipeline.named("p")
                .step("load_a", Load.class, new Load.Config(1))
                .step("load_b", Load.class, new Load.Config(2))
                .step(StepSpec.of(Sum.class).withInput("numbers", "load_b.numbers"))
                .build();
        assertThat(bound.inputsOf("sum")).containsExactly(new Wire("load_b", "numbers", "sum", "numbers"));
    }

    @Test
    void missingConfigAndWrongConfigAreRejected() {
        assertThatThrownBy(() -> Pipeline.named("p").step(Load.class).build())
                .hasMessageContaining("needs a config of type Config");
        assertThatThrownBy(() -> Pipeline.named("p").step(Load.class, "rows=3").build())
                .hasMessageContaining("needs a config of type");
        assertThatThrownBy(() -> Pipeline.named("p").step(Load.class, new Load.Config(1)).step(Sum.class, new Load.Config(1)).build())
                .hasMessageContaining("takes none");
    }

    @Test
    void bindingToAnUnknownStepOrOutputIsRejected() {
        assertThatThrownBy(() -> Pipeline.named("p").step(Load.class, new Load.Config(1))
                .step(StepSpec.of(Sum.class).withInput("numbers", "nope.numbers")).build())
                .hasMessageContaining("has no step 'nope'");
        assertThatThrownBy(() -> Pipeline.named("p").step(Load.class, new Load.Config(1))
                .step(StepSpec.of(Sum.class).withInput("numbers", "load.rows")).build())
                .hasMessageContaining("which has no such output; its outputs are [numbers]");
        assertThatThrownBy(() -> Pipeline.named("p").step(Load.class, new Load.Config(1))
                .step(StepSpec.of(Sum.class).withInput("nums", "load.numbers")).build())
                .hasMessageContaining("has no such input; its inputs are [numbers]");
    }

    @Test
    void classWithoutStepMethodAndBadNamesAreRejected() {
        assertThatThrownBy(() -> Pipeline.named("p").step(NoStepMethod.class).build())
                .hasMessageContaining("has no public method annotated @Step");
        assertThatThrownBy(() -> Pipeline.named("bad name"))
                .hasMessageContaining("Pipeline name 'bad name' is not valid");
        assertThatThrownBy(() -> Pipeline.named("p").step("1x", Sum.class))
                .hasMessageContaining("Step name '1x' is not valid");
    }

    @Test
    void stepNamesDefaultToSnakeCaseOfTheClass() {
        assertThat(StepSpec.of(WantsText.class).name()).isEqualTo("wants_text");
        assertThat(StepSpec.of(Load.class).name()).isEqualTo("load");
    }
}
