package dev.flywheel.monitor.internal;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

import static org.assertj.core.api.Assertions.assertThat;

class SortedValuesTest {

    @Test
    void keepsTheFiniteValuesSortedWithOneZeroAcrossSizesAndShapes() {
        SplittableRandom r = new SplittableRandom(11);
        DoubleSupplier[] shapes = {
            () -> r.nextDouble(-1e6, 1e6),
            () -> r.nextInt(-5, 5),                                       // heavy ties, both signs
            () -> r.nextDouble() < 0.5 ? -0.0 : 0.0,                      // the two zeros
            () -> Math.scalb(r.nextDouble(), r.nextInt(-1074, 1024)) * (r.nextBoolean() ? 1 : -1), // every exponent
            () -> r.nextInt(10) == 0 ? Double.NaN : r.nextInt(10) == 0 ? Double.NEGATIVE_INFINITY
                    : r.nextInt(10) == 0 ? Double.POSITIVE_INFINITY : r.nextGaussian(),
            () -> 42.0,                                                   // constant
        };
        for (int size : new int[] {0, 1, 2, 1000, 100_003}) {
            for (DoubleSupplier shape : shapes) {
                double[] values = new double[size];
                for (int i = 0; i < size; i++) {
                    values[i] = shape.getAsDouble();
                }
                double[] expected = Arrays.stream(values).filter(Double::isFinite).map(v -> v + 0.0).sorted().toArray();

                double[] sorted = SortedValues.finiteSorted(values.clone());

                // Arrays.equals compares bits: -0.0 left in place of 0.0 would fail it.
                assertThat(Arrays.equals(sorted, expected)).as("size %s, first difference at %s", size,
                        Arrays.mismatch(sorted, expected)).isTrue();
            }
        }
    }
}
