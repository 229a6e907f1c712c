package dev.flywheel.sdk.internal;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import org.junit.jupiter.api.Test;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValueTypeTest {
    record Point(double x, double y) {
    }

    abstract static class Declared<T> {
        Type type() {
            return ((ParameterizedType) getClass().getGenericSuperclass()).getActualTypeArguments()[0];
        }
    }

    @Test
    void everySupportedShapeHasANameThatParsesBackToItself() {
        List<Type> types = List.of(double.class, Double.class, String.class, double[].class, boolean[].class, Point.class,
                new Declared<List<Double>>() { }.type(), new Declared<Set<String>>() { }.type(),
                new Declared<Map<String, Point>>() { }.type(), new Declared<Optional<long[]>>() { }.type(),
                new Declared<Map<String, List<Optional<Integer>>>>() { }.type(), new Declared<TreeMap<String, Float>>() { }.type(),
                new Declared<ArrayList<List<String>>>() { }.type());
        for (Type t : types) {
            ValueType v = ValueType.of(t);
            assertThat(ValueType.parse(v.name(), getClass().getClassLoader())).as(v.name()).isEqualTo(v);
        }
        assertThat(ValueType.of(double.class)).isEqualTo(new ValueType.Plain(Double.class));
        assertThat(ValueType.of(new Declared<Map<String, List<double[]>>>() { }.type()).name())
                .isEqualTo("java.util.Map<java.lang.String,java.util.List<[D>>");
        assertThat(ValueType.of(new Declared<Map<String, List<double[]>>>() { }.type()).display()).isEqualTo("Map<String, List<double[]>>");
    }

    @Test
    void containersWithoutAConcreteElementTypeAreRefusedWithWhatToDeclare() {
        assertThatThrownBy(() -> ValueType.of(List.class))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PIPELINE))
                .hasMessageContaining("a raw List").hasMessageContaining("List<Double>");
        assertThatThrownBy(() -> ValueType.of(new Declared<List<? extends Number>>() { }.type())).hasMessageContaining("wildcard");
        assertThatThrownBy(() -> ValueType.of(new Declared<Map<Integer, String>>() { }.type()))
                .hasMessageContaining("String keys").hasMessageContaining("Integer keys");
        assertThatThrownBy(() -> ValueType.of(new Declared<List<List>>() { }.type())).hasMessageContaining("a raw List");
    }

    @Test
    void malformedOrUnknownRecordedNamesAreClearErrors() {
        ClassLoader loader = getClass().getClassLoader();
        assertThatThrownBy(() -> ValueType.parse("com.acme.Gone", loader))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("com.acme.Gone is not on the class path");
        assertThatThrownBy(() -> ValueType.parse("java.util.List<java.lang.Double", loader)).hasMessageContaining("expected '>'");
        assertThatThrownBy(() -> ValueType.parse("java.lang.String<java.lang.Double>", loader)).hasMessageContaining("container");
        assertThatThrownBy(() -> ValueType.parse("java.util.Map<java.lang.Long,java.lang.Double>", loader)).hasMessageContaining("String keys");
        assertThatThrownBy(() -> ValueType.parse("java.lang.String,x", loader)).hasMessageContaining("the end");
    }

    @Test
    void assignabilityComparesTypeArgumentsAsJavaDoes() {
        Type listDouble = new Declared<List<Double>>() { }.type();
        assertThat(ValueType.assignable(listDouble, new Declared<ArrayList<Double>>() { }.type())).isTrue();
        assertThat(ValueType.assignable(new Declared<Collection<Double>>() { }.type(), listDouble)).isTrue();
        assertThat(ValueType.assignable(List.class, listDouble)).as("a raw input takes any list").isTrue();
        assertThat(ValueType.assignable(listDouble, new Declared<List<Integer>>() { }.type())).isFalse();
        assertThat(ValueType.assignable(new Declared<List<? extends Number>>() { }.type(), listDouble)).isTrue();
        assertThat(ValueType.assignable(new Declared<List<Number>>() { }.type(), listDouble)).as("invariant").isFalse();
        assertThat(ValueType.assignable(new Declared<Map<String, List<Double>>>() { }.type(),
                new Declared<Map<String, List<Float>>>() { }.type())).isFalse();
        assertThat(ValueType.assignable(double.class, Double.class)).isTrue();
        assertThat(ValueType.assignable(new Declared<ArrayList<Double>>() { }.type(), listDouble)).isFalse();
    }
}
