package dev.flywheel.bench.monitor;

import dev.flywheel.sdk.data.Table;

import java.util.SplittableRandom;

/**
 * The drift benchmark's data, seeded: 20 columns as a model's features look (14 continuous doubles, 2 wide integer
 * columns, 2 low-cardinality integer codes, 2 categorical strings), a reference and a current table in which a
 * third of the columns have shifted.
 */
final class DriftData {
    static final int COLUMNS = 20;
    private static final String[] CITIES = {"oslo", "rome", "lima", "pune", "kobe", "nice", "bonn", "cork"};
    private static final String[] DEVICES = {"ios", "android", "web", "tv", "other"};

    private DriftData() {
    }

    static Table table(int rows, boolean current, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Table.Builder b = Table.builder();
        for (int c = 0; c < 14; c++) {
            double shift = current && c % 3 == 0 ? 0.25 : 0;
            double scale = 1 + c;
            double[] v = new double[rows];
            for (int i = 0; i < rows; i++) {
                v[i] = scale * (gaussian(r) + shift) + c;
            }
            b.doubles("f" + c, v);
        }
        for (int c = 14; c < 16; c++) {
            long[] v = new long[rows];
            for (int i = 0; i < rows; i++) {
                v[i] = r.nextLong(0, current && c == 14 ? 11_000 : 10_000);
            }
            b.longs("i" + c, v);
        }
        for (int c = 16; c < 18; c++) {
            long[] v = new long[rows];
            for (int i = 0; i < rows; i++) {
                v[i] = r.nextInt(10) < (current && c == 16 ? 5 : 3) ? 0 : r.nextInt(1, 3);
            }
            b.longs("k" + c, v);
        }
        String[] city = new String[rows];
        String[] device = new String[rows];
        for (int i = 0; i < rows; i++) {
            city[i] = CITIES[Math.min(CITIES.length - 1, (int) Math.abs(gaussian(r) * 2.5))];
            device[i] = DEVICES[r.nextInt(current ? 5 : 4)];
        }
        return b.strings("city", city).strings("device", device).build();
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
