package dev.flywheel.cli;

import dev.flywheel.sdk.Input;
import dev.flywheel.sdk.Outputs;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.Step;
import dev.flywheel.sdk.data.Table;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A pipeline that passes one value of every type Flywheel stores from a producer step to a consumer step, as a user
 * would write it. The consumer compares each input with the value the producer made and returns a verdict per
 * input ({@code "ok"} or what differs). Change the consumer's {@code round} to make it run again while the producer
 * is cached: its inputs then come back from the artifact store instead of memory.
 */
public final class ValueSweep {
    public static final String PIPELINE = "value_sweep";

    private ValueSweep() {
    }

    /** A stored enum. */
    public enum Grade { LOW, HIGH }

    /** A stored record. */
    public record Point(double x, double y) {
    }

    /** Every value, one per supported type: the producer's outputs and the consumer's inputs. */
    @Outputs
    public record Values(
            int anInt, long aLong, double aDouble, float aFloat, boolean aBoolean, short aShort, byte aByte, char aChar,
            Integer boxedInt, Long boxedLong, Double boxedDouble, Float boxedFloat, Boolean boxedBoolean, Short boxedShort,
            Byte boxedByte, Character boxedChar,
            String text, byte[] bytes, Grade grade, Point point, Table table,
            double[] doubles, float[] floats, long[] longs, int[] ints, boolean[] booleans, short[] shorts, char[] chars,
            List<Double> doubleList, List<Long> longList, List<Integer> intList, List<Float> floatList, List<Boolean> booleanList,
            List<String> stringList, List<Point> pointList, List<Grade> gradeList, List<double[]> arrayList, List<Table> tableList,
            List<List<String>> nestedList, Set<String> stringSet, Set<Long> longSet, Set<Point> pointSet,
            Map<String, Double> doubleMap, Map<String, String> stringMap, Map<String, Point> pointMap,
            Map<String, List<Double>> listMap, Map<String, double[]> arrayMap, Map<String, Optional<Integer>> optionalMap,
            Optional<Double> presentDouble, Optional<String> absentString, Optional<Table> presentTable,
            Optional<List<Point>> presentList, Optional<Point> presentPoint) {
    }

    /** The values the producer makes; the same on every call and in every process. */
    public static Values expected() {
        Table table = Table.builder().longs("id", 1, 2, 3).doubles("x", 0.5, Double.NaN, -0.0).strings("s", "a", null, "東京").build();
        Map<String, Double> doubleMap = new LinkedHashMap<>();
        doubleMap.put("rmse", 41.5);
        doubleMap.put("nan", Double.NaN);
        doubleMap.put("missing", null);
        Map<String, double[]> arrayMap = new TreeMap<>();
        arrayMap.put("a", new double[] {1, 2});
        arrayMap.put("empty", new double[0]);
        Map<String, Optional<Integer>> optionalMap = new LinkedHashMap<>();
        optionalMap.put("some", Optional.of(7));
        optionalMap.put("none", Optional.empty());
        return new Values(
                -7, Long.MIN_VALUE, -0.0, Float.MIN_VALUE, true, Short.MIN_VALUE, Byte.MIN_VALUE, '東',
                Integer.MAX_VALUE, Long.MAX_VALUE, Double.NaN, Float.POSITIVE_INFINITY, false, (short) 12, (byte) 127, '"',
                "grüße, 東京 🚲", new byte[] {0, -1, 127, -128}, Grade.HIGH, new Point(1.5, -2.25), table,
                new double[] {0.1, Double.NaN, Double.NEGATIVE_INFINITY, -0.0}, new float[] {1.5f, Float.NaN}, new long[] {Long.MIN_VALUE, 0},
                new int[] {Integer.MIN_VALUE, 3}, new boolean[] {true, false}, new short[] {-1, 2}, new char[] {'a', '\n'},
                Arrays.asList(1.5, null, Double.NaN, -0.0), List.of(Long.MAX_VALUE, 0L), List.of(1, 2, 3), List.of(0.25f),
                List.of(true, false), List.of("a", "", "東京"), List.of(new Point(0, 0), new Point(1, 1)), List.of(Grade.LOW, Grade.HIGH),
                List.of(new double[] {1, 2}, new double[0]), List.of(table, table.head(0)), List.of(List.of("x"), List.of()),
                new LinkedHashSet<>(List.of("z", "a")), Set.of(5L), Set.of(new Point(3, 4)),
                doubleMap, Map.of("k", "v"), Map.of("origin", new Point(0, 0)), Map.of("series", List.of(1.0, 2.0)), arrayMap, optionalMap,
                Optional.of(Math.PI), Optional.empty(), Optional.of(table), Optional.of(List.of(new Point(5, 6))), Optional.of(new Point(7, 8)));
    }

    /** The names of the values, in declaration order: one verdict each. */
    public static List<String> names() {
        return Arrays.stream(Values.class.getRecordComponents()).map(RecordComponent::getName).toList();
    }

    public static final class Produce {
        @Step
        public Values produce() {
            return expected();
        }
    }

    /** Compares every input with {@link #expected()}; {@code round} only exists to make it run again. */
    public static final class Check {
        public record Config(int round) {
        }

        @Step(output = "verdict")
        public Map<String, String> check(Config config,
                @Input("anInt") int anInt, @Input("aLong") long aLong, @Input("aDouble") double aDouble, @Input("aFloat") float aFloat,
                @Input("aBoolean") boolean aBoolean, @Input("aShort") short aShort, @Input("aByte") byte aByte, @Input("aChar") char aChar,
                @Input("boxedInt") Integer boxedInt, @Input("boxedLong") Long boxedLong, @Input("boxedDouble") Double boxedDouble,
                @Input("boxedFloat") Float boxedFloat, @Input("boxedBoolean") Boolean boxedBoolean, @Input("boxedShort") Short boxedShort,
                @Input("boxedByte") Byte boxedByte, @Input("boxedChar") Character boxedChar,
                @Input("text") String text, @Input("bytes") byte[] bytes, @Input("grade") Grade grade, @Input("point") Point point,
                @Input("table") Table table, @Input("doubles") double[] doubles, @Input("floats") float[] floats, @Input("longs") long[] longs,
                @Input("ints") int[] ints, @Input("booleans") boolean[] booleans, @Input("shorts") short[] shorts, @Input("chars") char[] chars,
                @Input("doubleList") List<Double> doubleList, @Input("longList") List<Long> longList, @Input("intList") List<Integer> intList,
                @Input("floatList") List<Float> floatList, @Input("booleanList") List<Boolean> booleanList,
                @Input("stringList") List<String> stringList, @Input("pointList") List<Point> pointList,
                @Input("gradeList") List<Grade> gradeList, @Input("arrayList") List<double[]> arrayList,
                @Input("tableList") List<Table> tableList, @Input("nestedList") List<List<String>> nestedList,
                @Input("stringSet") Set<String> stringSet, @Input("longSet") Set<Long> longSet, @Input("pointSet") Set<Point> pointSet,
                @Input("doubleMap") Map<String, Double> doubleMap, @Input("stringMap") Map<String, String> stringMap,
                @Input("pointMap") Map<String, Point> pointMap, @Input("listMap") Map<String, List<Double>> listMap,
                @Input("arrayMap") Map<String, double[]> arrayMap, @Input("optionalMap") Map<String, Optional<Integer>> optionalMap,
                @Input("presentDouble") Optional<Double> presentDouble, @Input("absentString") Optional<String> absentString,
                @Input("presentTable") Optional<Table> presentTable, @Input("presentList") Optional<List<Point>> presentList,
                @Input("presentPoint") Optional<Point> presentPoint) {
            Values actual = new Values(anInt, aLong, aDouble, aFloat, aBoolean, aShort, aByte, aChar, boxedInt, boxedLong, boxedDouble,
                    boxedFloat, boxedBoolean, boxedShort, boxedByte, boxedChar, text, bytes, grade, point, table, doubles, floats, longs,
                    ints, booleans, shorts, chars, doubleList, longList, intList, floatList, booleanList, stringList, pointList,
                    gradeList, arrayList, tableList, nestedList, stringSet, longSet, pointSet, doubleMap, stringMap, pointMap, listMap,
                    arrayMap, optionalMap, presentDouble, absentString, presentTable, presentList, presentPoint);
            return verdicts(actual);
        }
    }

    /** For each value: {@code "ok"} when {@code actual} holds what {@link #expected()} holds, else what differs. */
    public static Map<String, String> verdicts(Values actual) {
        Values expected = expected();
        Map<String, String> out = new LinkedHashMap<>();
        for (RecordComponent c : Values.class.getRecordComponents()) {
            try {
                Object e = c.getAccessor().invoke(expected);
                Object a = c.getAccessor().invoke(actual);
                out.put(c.getName(), same(e, a) ? "ok" : "expected " + show(e) + " but got " + show(a));
            } catch (ReflectiveOperationException ex) {
                throw new IllegalStateException(ex);
            }
        }
        return out;
    }

    /** Deep equality that also compares arrays inside containers (by bits for floating point, so NaN equals NaN). */
    public static boolean same(Object e, Object a) {
        if (e == null || a == null) {
            return e == a;
        }
        if (e.getClass().isArray()) {
            return a.getClass() == e.getClass() && Objects.deepEquals(e, a);
        }
        if (e instanceof List<?> le) {
            return a instanceof List<?> la && sameInOrder(le, la);
        }
        if (e instanceof Set<?> se) {
            return a instanceof Set<?> sa && se.equals(sa);
        }
        if (e instanceof Map<?, ?> me) {
            if (!(a instanceof Map<?, ?> ma) || !me.keySet().equals(ma.keySet())) {
                return false;
            }
            for (Object k : me.keySet()) {
                if (!same(me.get(k), ma.get(k))) {
                    return false;
                }
            }
            return true;
        }
        if (e instanceof Optional<?> oe) {
            return a instanceof Optional<?> oa && oe.isPresent() == oa.isPresent() && (oe.isEmpty() || same(oe.get(), oa.get()));
        }
        return e.getClass() == a.getClass() && e.equals(a);
    }

    private static boolean sameInOrder(List<?> e, List<?> a) {
        if (e.size() != a.size()) {
            return false;
        }
        Iterator<?> ia = a.iterator();
        for (Object x : e) {
            if (!same(x, ia.next())) {
                return false;
            }
        }
        return true;
    }

    private static String show(Object v) {
        if (v != null && v.getClass().isArray()) {
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < Array.getLength(v); i++) {
                items.add(Array.get(v, i));
            }
            return v.getClass().getSimpleName() + items;
        }
        return v == null ? "null" : v.getClass().getSimpleName() + " " + v;
    }

    /** The pipeline: {@code produce} makes every value, {@code check} compares them (config {@code round}). */
    public static Pipeline pipeline(int round) {
        return Pipeline.named(PIPELINE).description("passes a value of every stored type between two steps")
                .step("produce", Produce.class)
                .step("check", Check.class, new Check.Config(round))
                .build();
    }
}
