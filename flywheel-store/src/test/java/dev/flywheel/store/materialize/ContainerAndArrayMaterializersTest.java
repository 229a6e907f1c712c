package dev.flywheel.store.materialize;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.data.Table;
import dev.flywheel.sdk.internal.ValueType;
import dev.flywheel.sdk.model.Feature;
import dev.flywheel.sdk.model.Model;
import dev.flywheel.sdk.model.ModelSignature;
import dev.flywheel.sdk.spi.Materializer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContainerAndArrayMaterializersTest {
    private final Materializers materializers = Materializers.builtInOnly();

    record Fold(int index, double rmse) {
    }

    /** Captures a generic type: {@code new Declared<List<Double>>() {}.type()}. */
    abstract static class Declared<T> {
        Type type() {
            return ((ParameterizedType) getClass().getGenericSuperclass()).getActualTypeArguments()[0];
        }
    }

    private record Stored(String format, String type, byte[] bytes) {
    }

    private static ValueType container(ValueType.Kind kind, ValueType element) {
        Class<?> raw = switch (kind) {
            case LIST -> List.class;
            case SET -> Set.class;
            case MAP -> Map.class;
            case OPTIONAL -> Optional.class;
        };
        return new ValueType.Container(kind, raw, element);
    }

    private Stored write(Object value, Type declared) throws IOException {
        ValueType type = ValueType.of(declared);
        ValueType stored = type instanceof ValueType.Container ? type : new ValueType.Plain(value.getClass());
        @SuppressWarnings("unchecked")
        Materializer<Object> m = (Materializer<Object>) materializers.forValueType(stored);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.write(value, out);
        return new Stored(m.format(), stored.name(), out.toByteArray());
    }

    /** Reads as the engine does: the recorded type text parsed back, the materializer chosen by format and type. */
    private Object read(Stored s, Materializers with) throws IOException {
        ValueType type = ValueType.parse(s.type(), getClass().getClassLoader());
        @SuppressWarnings("unchecked")
        Materializer<Object> m = (Materializer<Object>) with.forArtifact(s.format(), type);
        InputStream in = new ByteArrayInputStream(s.bytes());
        Object value = m.read(in, type.raw());
        assertThat(in.read()).as("reader consumed exactly what was written").isEqualTo(-1);
        return value;
    }

    private Object roundTrip(Object value, Type declared, String format) throws IOException {
        Stored s = write(value, declared);
        assertThat(s.format()).isEqualTo(format);
        return read(s, materializers);
    }

    @Test
    void everyPrimitiveArrayRoundTripsBitForBit() throws IOException {
        double[] d = {0.1, -0.0, Double.NaN, Double.longBitsToDouble(0x7ff8_0000_0000_0123L), Double.NEGATIVE_INFINITY, Double.MIN_VALUE};
        double[] back = (double[]) roundTrip(d, double[].class, "array-v1");
        for (int i = 0; i < d.length; i++) {
            assertThat(Double.doubleToRawLongBits(back[i])).as("element " + i).isEqualTo(Double.doubleToRawLongBits(d[i]));
        }
        assertThat((float[]) roundTrip(new float[] {1.5f, Float.NaN, -0.0f, Float.MAX_VALUE}, float[].class, "array-v1"))
                .containsExactly(1.5f, Float.NaN, -0.0f, Float.MAX_VALUE);
        assertThat((long[]) roundTrip(new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE}, long[].class, "array-v1"))
                .containsExactly(Long.MIN_VALUE, 0, Long.MAX_VALUE);
        assertThat((int[]) roundTrip(new int[] {Integer.MIN_VALUE, -1, 7}, int[].class, "array-v1")).containsExactly(Integer.MIN_VALUE, -1, 7);
        assertThat((boolean[]) roundTrip(new boolean[] {true, false, true}, boolean[].class, "array-v1")).containsExactly(true, false, true);
        assertThat((short[]) roundTrip(new short[] {Short.MIN_VALUE, 3}, short[].class, "array-v1")).containsExactly(Short.MIN_VALUE, (short) 3);
        assertThat((char[]) roundTrip(new char[] {'a', '東', '\uD83D'}, char[].class, "array-v1")).containsExactly('a', '東', '\uD83D');
        assertThat((double[]) roundTrip(new double[0], double[].class, "array-v1")).isEmpty();
        double[] large = new double[200_000];
        Arrays.setAll(large, i -> i * 0.5);
        assertThat(Arrays.equals((double[]) roundTrip(large, double[].class, "array-v1"), large)).as("200k doubles").isTrue();
    }

    @Test
    void anArrayReadAsAnotherArrayTypeIsRefusedByItsElementCode() throws IOException {
        Stored doubles = write(new double[] {1, 2}, double[].class);
        Materializer<?> asLongs = materializers.forArtifact("array-v1", long[].class);
        assertThatThrownBy(() -> asLongs.read(new ByteArrayInputStream(doubles.bytes()), null))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT))
                .hasMessageContaining("element type code 1, but long[] is code 3");
    }

    @Test
    void listsSetsMapsAndOptionalsOfScalarsRoundTripWithNullsAndOrder() throws IOException {
        List<Double> doubles = Arrays.asList(1.5, null, Double.NaN, -0.0, Double.POSITIVE_INFINITY);
        assertThat(roundTrip(doubles, new Declared<List<Double>>() { }.type(), "list-v1")).isEqualTo(doubles);
        assertThat(roundTrip(List.of(), new Declared<List<Long>>() { }.type(), "list-v1")).isEqualTo(List.of());
        Set<String> names = new java.util.LinkedHashSet<>(List.of("z", "a", "東京"));
        Object set = roundTrip(names, new Declared<Set<String>>() { }.type(), "set-v1");
        assertThat(set).isEqualTo(names);
        assertThat(new ArrayList<Object>((Set<?>) set)).as("iteration order kept").containsExactly("z", "a", "東京");
        Map<String, Double> metrics = new java.util.LinkedHashMap<>();
        metrics.put("rmse", 41.5);
        metrics.put("nan", Double.NaN);
        metrics.put("none", null);
        metrics.put("", 0.0);
        assertThat(roundTrip(metrics, new Declared<Map<String, Double>>() { }.type(), "map-v1")).isEqualTo(metrics);
        assertThat(roundTrip(Optional.of('x'), new Declared<Optional<Character>>() { }.type(), "optional-v1")).isEqualTo(Optional.of('x'));
        assertThat(roundTrip(Optional.empty(), new Declared<Optional<Float>>() { }.type(), "optional-v1")).isEqualTo(Optional.empty());
        List<Boolean> flags = List.of(true, false);
        assertThat(roundTrip(flags, new Declared<List<Boolean>>() { }.type(), "list-v1")).isEqualTo(flags);
        List<Short> shorts = List.of((short) 1, Short.MIN_VALUE);
        assertThat(roundTrip(shorts, new Declared<List<Short>>() { }.type(), "list-v1")).isEqualTo(shorts);
    }

    @Test
    void containersOfRecordsTablesModelsArraysAndContainersRoundTrip() throws IOException {
        List<Fold> folds = List.of(new Fold(0, 3.5), new Fold(1, 2.25));
        assertThat(roundTrip(folds, new Declared<List<Fold>>() { }.type(), "list-v1")).isEqualTo(folds);
        Table t = Table.builder().doubles("x", 1, Double.NaN).strings("s", "a", null).build();
        List<Table> tables = List.of(t, t.head(0));
        assertThat(roundTrip(tables, new Declared<List<Table>>() { }.type(), "list-v1")).isEqualTo(tables);
        Model model = new Model("m", "xgboost", new byte[] {1, 2, 3}, new ModelSignature(List.of(Feature.fp32("a")),
                List.of(Feature.fp32("y"))), Map.of("rmse", 1.0));
        assertThat(roundTrip(Optional.of(model), new Declared<Optional<Model>>() { }.type(), "optional-v1")).isEqualTo(Optional.of(model));
        Map<String, List<double[]>> nested = Map.of("a", List.of(new double[] {1, 2}, new double[0]), "b", List.of());
        @SuppressWarnings("unchecked")
        Map<String, List<double[]>> back = (Map<String, List<double[]>>) roundTrip(nested, new Declared<Map<String, List<double[]>>>() { }.type(), "map-v1");
        assertThat(back).containsOnlyKeys("a", "b");
        assertThat(back.get("a").get(0)).containsExactly(1, 2);
        assertThat(back.get("a").get(1)).isEmpty();
        assertThat(back.get("b")).isEmpty();
        List<List<String>> lists = List.of(List.of("a"), List.of(), List.of("b", "c"));
        assertThat(roundTrip(lists, new Declared<List<List<String>>>() { }.type(), "list-v1")).isEqualTo(lists);
        Map<String, Optional<Integer>> optionals = Map.of("some", Optional.of(1), "none", Optional.empty());
        assertThat(roundTrip(optionals, new Declared<Map<String, Optional<Integer>>>() { }.type(), "map-v1")).isEqualTo(optionals);
    }

    @Test
    void deeplyNestedContainersAreBuiltWithoutTheLookupRecursingIntoItself() throws IOException {
        // many distinct nested types through one Materializers: a nested lookup must not update the map it is in
        // (ConcurrentHashMap throws "Recursive update" when an inner key lands in the outer key's bin)
        List<Class<?>> elements = List.of(String.class, Long.class, Integer.class, Double.class, Float.class, Boolean.class,
                Short.class, Byte.class, Character.class, byte[].class, double[].class, float[].class, long[].class, int[].class,
                boolean[].class, short[].class, char[].class, Table.class, Model.class, Fold.class, ErrorCode.class);
        for (Class<?> e : elements) {
            for (ValueType.Kind outer : ValueType.Kind.values()) {
                for (ValueType.Kind inner : ValueType.Kind.values()) {
                    ValueType nested = container(outer, container(inner, container(ValueType.Kind.LIST, new ValueType.Plain(e))));
                    Materializers fresh = Materializers.builtInOnly(); // a small map: nested keys often share a bin
                    assertThat(fresh.forValueType(nested).format()).isEqualTo(dev.flywheel.store.materialize.internal.ContainerMaterializer.format(outer));
                }
            }
        }
        List<List<List<String>>> deep = List.of(List.of(List.of("a"), List.of()), List.of());
        assertThat(roundTrip(deep, new Declared<List<List<List<String>>>>() { }.type(), "list-v1")).isEqualTo(deep);
    }

    @Test
    void concreteAndSortedContainerClassesReadBackAsThemselves() throws IOException {
        LinkedList<Integer> linked = new LinkedList<>(List.of(3, 1));
        assertThat(roundTrip(linked, new Declared<LinkedList<Integer>>() { }.type(), "list-v1")).isInstanceOf(LinkedList.class).isEqualTo(linked);
        TreeMap<String, Long> tree = new TreeMap<>(Map.of("b", 2L, "a", 1L));
        assertThat(roundTrip(tree, new Declared<TreeMap<String, Long>>() { }.type(), "map-v1")).isInstanceOf(TreeMap.class).isEqualTo(tree);
        SortedMap<String, Long> sorted = new TreeMap<>(tree);
        assertThat(roundTrip(sorted, new Declared<SortedMap<String, Long>>() { }.type(), "map-v1")).isInstanceOf(TreeMap.class).isEqualTo(tree);
        TreeSet<String> set = new TreeSet<>(List.of("b", "a"));
        assertThat(roundTrip(set, new Declared<TreeSet<String>>() { }.type(), "set-v1")).isInstanceOf(TreeSet.class).isEqualTo(set);
    }

    @Test
    void theRecordedTypeNameIsStableAndReadsBack() throws IOException {
        Stored s = write(Map.of("a", List.of(new double[] {1})), new Declared<Map<String, List<double[]>>>() { }.type());
        assertThat(s.type()).isEqualTo("java.util.Map<java.lang.String,java.util.List<[D>>");
        assertThat(write(List.of(new Fold(0, 1)), new Declared<List<Fold>>() { }.type()).type())
                .isEqualTo("java.util.List<" + Fold.class.getName() + ">");
        assertThat(write(3.5, double.class).type()).isEqualTo("java.lang.Double");
        assertThat(write(new float[0], float[].class).type()).isEqualTo("[F");
    }

    @Test
    void elementsAreReadWithTheFormatTheirHeaderRecordsNotTheNewestMaterializer() throws IOException {
        Materializers withShouting = Materializers.standard(getClass().getClassLoader());
        @SuppressWarnings("unchecked")
        Materializer<Object> m = (Materializer<Object>) withShouting.forValueType(ValueType.of(new Declared<List<String>>() { }.type()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.write(List.of("hi"), out);
        Stored shouted = new Stored("list-v1", "java.util.List<java.lang.String>", out.toByteArray());
        assertThat(read(shouted, withShouting)).isEqualTo(List.of("hi"));
        assertThatThrownBy(() -> read(shouted, materializers))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("no materializer reads format 'test-shout'");
    }

    @Test
    void aContainerThatDoesNotHoldItsDeclaredElementTypeIsRefusedNamingTheElement() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<Double> polluted = (List) List.of(1.0, 2);
        assertThatThrownBy(() -> write(polluted, new Declared<List<Double>>() { }.type()))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("element 1 of a value declared as List<Double> is a java.lang.Integer");
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, Double> intKeys = (Map) Map.of(1, 2.0);
        assertThatThrownBy(() -> write(intKeys, new Declared<Map<String, Double>>() { }.type()))
                .hasMessageContaining("stored maps have String keys");
    }

    @Test
    void anElementTypeWithoutAMaterializerIsNamed() {
        assertThatThrownBy(() -> materializers.forValueType(ValueType.of(new Declared<List<Object>>() { }.type())))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("no materializer for type java.lang.Object");
        assertThatThrownBy(() -> materializers.forValueType(ValueType.of(new Declared<Map<String, Number>>() { }.type())))
                .hasMessageContaining("no materializer for type java.lang.Number");
    }

    @Test
    void damagedContainerBytesAreCorruptNotAnotherValue() throws IOException {
        Stored s = write(List.of(1.0, 2.0), new Declared<List<Double>>() { }.type());
        byte[] wrongMagic = s.bytes().clone();
        wrongMagic[0] = 'X';
        assertThatThrownBy(() -> read(new Stored(s.format(), s.type(), wrongMagic), materializers))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT))
                .hasMessageContaining("instead of 'FWCT'");
        assertThatThrownBy(() -> read(new Stored("set-v1", s.type(), s.bytes()), materializers))
                .hasMessageContaining("holds a set, but its recorded type is java.util.List<java.lang.Double>");
        byte[] truncated = Arrays.copyOf(s.bytes(), s.bytes().length - 2);
        assertThatThrownBy(() -> read(new Stored(s.format(), s.type(), truncated), materializers)).hasMessageContaining("truncated");
    }
}
