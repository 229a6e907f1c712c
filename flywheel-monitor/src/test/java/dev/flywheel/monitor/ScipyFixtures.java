package dev.flywheel.monitor;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.flywheel.sdk.data.Table;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The SciPy reference values of {@code scipy/drift-fixtures.json} (made by {@code drift_fixtures.py} beside it) and
 * the samples they were computed on, rebuilt here bit for bit from the same seeds and recipes.
 */
public final class ScipyFixtures {
    private static final JsonNode ROOT = load();

    private ScipyFixtures() {
    }

    private static JsonNode load() {
        try (InputStream in = ScipyFixtures.class.getResourceAsStream("scipy/drift-fixtures.json")) {
            return JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String scipyVersion() {
        return ROOT.get("scipy").asText();
    }

    /** One case: a reference and a current sample, and what SciPy computed on them (missing values dropped). */
    public record Case(String name, boolean numeric, JsonNode reference, JsonNode current, JsonNode expected) {
        public Table referenceTable() {
            return table(reference);
        }

        public Table currentTable() {
            return table(current);
        }

        private Table table(JsonNode spec) {
            return numeric ? Table.builder().doubles("x", numericSample(spec)).build()
                    : Table.builder().strings("x", categoricalSample(spec)).build();
        }

        public double expect(String field) {
            return expected.get(field).asDouble();
        }

        public boolean has(String field) {
            return expected.has(field);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    public static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (JsonNode c : ROOT.get("cases")) {
            out.add(new Case(c.get("name").asText(), c.get("kind").asText().equals("numeric"), c.get("reference"),
                    c.get("current"), c.get("expected")));
        }
        return out;
    }

    /** Points of SciPy's {@code kstwo.sf(d, n)}. */
    public record KolmogorovPoint(int n, double d, double sf) {
    }

    public static List<KolmogorovPoint> kolmogorov() {
        List<KolmogorovPoint> out = new ArrayList<>();
        for (JsonNode k : ROOT.get("kolmogorov")) {
            out.add(new KolmogorovPoint(k.get("n").asInt(), k.get("d").asDouble(), k.get("sf").asDouble()));
        }
        return out;
    }

    /** drift_fixtures.py's numeric_sample: (x + offset) / divisor per row, NaN when the row is drawn missing. */
    static double[] numericSample(JsonNode spec) {
        SplitMix64 rng = new SplitMix64(spec.get("seed").asLong());
        long r = spec.get("range").asLong();
        long offset = spec.get("offset").asLong();
        long divisor = spec.get("divisor").asLong();
        long missing = spec.get("missing_per_mille").asLong();
        String shape = spec.get("shape").asText();
        double[] out = new double[spec.get("n").asInt()];
        for (int i = 0; i < out.length; i++) {
            long m = rng.below(1000);
            long x = switch (shape) {
                case "uniform" -> rng.below(r);
                case "bell" -> rng.below(r) + rng.below(r) + rng.below(r) + rng.below(r);
                case "skew" -> {
                    long a = rng.below(r);
                    yield Math.multiplyExact(a, a) / r;
                }
                default -> throw new IllegalArgumentException(shape);
            };
            out[i] = m < missing ? Double.NaN : (double) (x + offset) / (double) divisor;
        }
        return out;
    }

    /** drift_fixtures.py's categorical_sample: a category by cumulative weight, null when drawn missing. */
    static String[] categoricalSample(JsonNode spec) {
        SplitMix64 rng = new SplitMix64(spec.get("seed").asLong());
        List<String> categories = new ArrayList<>();
        spec.get("categories").forEach(c -> categories.add(c.asText()));
        long[] weights = new long[categories.size()];
        long total = 0;
        for (int i = 0; i < weights.length; i++) {
            weights[i] = spec.get("weights").get(i).asLong();
            total += weights[i];
        }
        long missing = spec.get("missing_per_mille").asLong();
        String[] out = new String[spec.get("n").asInt()];
        for (int i = 0; i < out.length; i++) {
            long m = rng.below(1000);
            long pick = rng.below(total);
            long acc = 0;
            String chosen = null;
            for (int k = 0; k < weights.length; k++) {
                acc += weights[k];
                if (pick < acc) {
                    chosen = categories.get(k);
                    break;
                }
            }
            out[i] = m < missing ? null : chosen;
        }
        return out;
    }

    /** Steele, Lea and Flood's SplitMix64, as drift_fixtures.py has it. */
    static final class SplitMix64 {
        private long state;

        SplitMix64(long seed) {
            this.state = seed;
        }

        long next() {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        long below(long bound) {
            return Long.remainderUnsigned(next(), bound);
        }
    }
}
