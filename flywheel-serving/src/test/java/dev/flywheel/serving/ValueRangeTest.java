package dev.flywheel.serving;

import dev.flywheel.sdk.model.Feature;
import dev.flywheel.sdk.model.FeatureType;
import dev.flywheel.sdk.model.ModelSignature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Values a model cannot take are refused with a 400 naming the input: non-finite numbers ({@code Infinity},
 * {@code 1e999}, NaN for a non-nullable feature) and numbers outside the datatype the request declares or the
 * feature's type, over OIP, /invocations JSON and /invocations CSV. The tables are written out, not computed.
 */
class ValueRangeTest {
    private static final List<String> NON_FINITE = List.of("Infinity", "-Infinity", "1e999", "-1e999", "NaN");

    @TempDir
    Path dir;

    private record Case(String datatype, List<String> inside, List<String> outside) {
    }

    /** Per OIP datatype: values it holds and values it does not (the feature is FP32, so these are the datatype's limits). */
    private static final List<Case> DECLARED = List.of(
            new Case("BOOL", List.of("0", "1", "true", "false"), List.of("2", "-1", "0.5")),
            new Case("UINT8", List.of("0", "255", "1e2"), List.of("256", "-1", "1.5")),
            new Case("UINT16", List.of("65535"), List.of("65536", "-1")),
            new Case("UINT32", List.of("4294967295"), List.of("4294967296", "-1")),
            new Case("UINT64", List.of("0", "18446744073709551615"), List.of("18446744073709551616", "-1", "1.5")),
            new Case("INT8", List.of("-128", "127"), List.of("128", "-129", "0.5")),
            new Case("INT16", List.of("-32768", "32767"), List.of("32768", "-32769")),
            new Case("INT32", List.of("-2147483648", "2147483647"), List.of("2147483648", "-2147483649", "0.5")),
            new Case("INT64", List.of("-9223372036854775808", "9223372036854775807"),
                    List.of("9223372036854775808", "-9223372036854775809", "1e19", "0.5")),
            new Case("FP16", List.of("65504", "-65504", "0.5", "65519"), List.of("65520", "70000", "-1e5")),
            new Case("FP32", List.of("3.4028234e38", "-3.4028234e38", "1e-50", "3.4028235e38"), List.of("3.5e38", "-1e39")),
            new Case("FP64", List.of("1.5", "-3e38"), List.of("1e300", "-1.7976931348623157e308")));

    /** Per feature type: values that fit it and values that do not (sent as FP64 over OIP, untyped over MLflow). */
    private static final Map<FeatureType, Case> FEATURE = Map.ofEntries(
            Map.entry(FeatureType.FP32, new Case("FP32", List.of("1e38", "-2.5"), List.of("1e39", "-1e39"))),
            Map.entry(FeatureType.FP64, new Case("FP64", List.of("1e38"), List.of("1e39"))),
            Map.entry(FeatureType.FP16, new Case("FP16", List.of("65504", "-0.25"), List.of("65536", "-1e6"))),
            Map.entry(FeatureType.INT8, new Case("INT8", List.of("-128", "127"), List.of("128", "-129", "1.5"))),
            Map.entry(FeatureType.INT16, new Case("INT16", List.of("32767"), List.of("32768", "-32769"))),
            Map.entry(FeatureType.INT32, new Case("INT32", List.of("-2147483648"), List.of("2147483648", "2.5"))),
            Map.entry(FeatureType.INT64, new Case("INT64", List.of("9007199254740992", "-9223372036854775808"),
                    List.of("9223372036854775808", "1e19", "0.1"))),
            Map.entry(FeatureType.UINT8, new Case("UINT8", List.of("255", "0"), List.of("256", "-1"))),
            Map.entry(FeatureType.UINT16, new Case("UINT16", List.of("65535"), List.of("65536", "-1"))),
            Map.entry(FeatureType.UINT32, new Case("UINT32", List.of("4294967295"), List.of("4294967296", "-1"))),
            Map.entry(FeatureType.UINT64, new Case("UINT64", List.of("18446744073709551615", "1e19"), List.of("-1", "2e19"))),
            Map.entry(FeatureType.BOOL, new Case("BOOL", List.of("0", "1"), List.of("2", "-1", "0.5"))));

    private static ModelSignature oneFeature(FeatureType type) {
        return new ModelSignature(List.of(new Feature("x", type, false)), List.of(Feature.fp32("prediction")));
    }

    private static HttpResponse<String> oip(PredictionServer server, String datatype, String value) {
        return Fixture.postJson(server, "/v2/models/bike/infer", "{\"inputs\": [{\"name\": \"x\", \"shape\": [2], \"datatype\": \""
                + datatype + "\", \"data\": [0, " + value + "]}]}");
    }

    private static HttpResponse<String> mlflowJson(PredictionServer server, String value) {
        return Fixture.postJson(server, "/invocations", "{\"dataframe_split\": {\"columns\": [\"x\"], \"data\": [[0], [" + value + "]]}}");
    }

    private static HttpResponse<String> mlflowCsv(PredictionServer server, String value) {
        return Fixture.post(server, "/invocations", "text/csv", "x\n0\n" + value + "\n");
    }

    private static void accepted(List<String> failures, String what, HttpResponse<String> r) {
        if (r.statusCode() != 200) {
            failures.add(what + " should be accepted, got " + r.statusCode() + " " + r.body());
        }
    }

    private static void refused(List<String> failures, String what, HttpResponse<String> r, String where) {
        if (r.statusCode() != 400 || !Fixture.error(r).contains("feature 'x'") || !Fixture.error(r).contains(where)) {
            failures.add(what + " should be refused with 400 naming feature 'x' at " + where + ", got " + r.statusCode() + " " + r.body());
        }
    }

    @Test
    void everyOipDatatypeRefusesNonFiniteAndOutOfRangeValuesNamingTheInput() {
        List<String> failures = new ArrayList<>();
        try (PredictionServer server = PredictionServer.create(cfg -> { })
                .start(Fixture.linear(dir, 1, "", oneFeature(FeatureType.FP32)))) {
            for (Case c : DECLARED) {
                for (String v : c.inside()) {
                    accepted(failures, c.datatype() + " " + v, oip(server, c.datatype(), v));
                }
                List<String> outside = new ArrayList<>(c.outside());
                if (!c.datatype().equals("BOOL")) {
                    outside.addAll(NON_FINITE);
                }
                for (String v : outside) {
                    refused(failures, c.datatype() + " " + v, oip(server, c.datatype(), v), "input 'x' row 1");
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void everyFeatureTypeRefusesValuesOutsideItsRangeOverOipAndInvocationsJsonAndCsv() {
        List<String> failures = new ArrayList<>();
        for (Map.Entry<FeatureType, Case> e : FEATURE.entrySet()) {
            Case c = e.getValue();
            try (PredictionServer server = PredictionServer.create(cfg -> { })
                    .start(Fixture.linear(dir, 1, "note=" + e.getKey().name(), oneFeature(e.getKey())))) {
                for (String v : c.inside()) {
                    accepted(failures, "OIP FP64 into " + c.datatype() + " " + v, oip(server, "FP64", v));
                    accepted(failures, "JSON into " + c.datatype() + " " + v, mlflowJson(server, v));
                    accepted(failures, "CSV into " + c.datatype() + " " + v, mlflowCsv(server, v));
                }
                List<String> outside = new ArrayList<>(c.outside());
                outside.addAll(NON_FINITE);
                for (String v : outside) {
                    refused(failures, "OIP FP64 into " + c.datatype() + " " + v, oip(server, "FP64", v), "input 'x' row 1");
                    refused(failures, "JSON into " + c.datatype() + " " + v, mlflowJson(server, v), "dataframe_split.data[1]");
                    refused(failures, "CSV into " + c.datatype() + " " + v, mlflowCsv(server, v), "CSV row 2 column 'x'");
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void csvCellsMustBePlainNumbers() {
        List<String> failures = new ArrayList<>();
        try (PredictionServer server = PredictionServer.create(cfg -> { })
                .start(Fixture.linear(dir, 1, "", oneFeature(FeatureType.FP32)))) {
            for (String v : List.of("inf", "-inf", "+Infinity", "0x10", "1.5f", "2d", "1e", "--1", "1.2.3", ".", "e5", "abc")) {
                refused(failures, "CSV " + v, mlflowCsv(server, v), "CSV row 2 column 'x'");
            }
            for (String v : List.of("+1", "-0", ".5", "5.", "1E3", "1e-3", "-2.5e+2")) {
                accepted(failures, "CSV " + v, mlflowCsv(server, v));
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void nanAndNullMeanMissingOnlyForNullableFeatures() {
        ModelSignature nullable = new ModelSignature(List.of(new Feature("x", FeatureType.FP32, true)), List.of(Feature.fp32("prediction")));
        try (PredictionServer server = PredictionServer.create(cfg -> { }).start(Fixture.linear(dir, 1, "note=nullable", nullable))) {
            for (String v : List.of("NaN", "null")) {
                HttpResponse<String> r = oip(server, "FP32", v);
                assertThat(r.statusCode()).as(v).isEqualTo(200);
            }
            assertThat(mlflowCsv(server, "").statusCode()).isEqualTo(200);
            HttpResponse<String> inf = oip(server, "FP32", "Infinity");
            assertThat(inf.statusCode()).isEqualTo(400);
            assertThat(Fixture.error(inf)).contains("feature 'x' (FP32) got Infinity at input 'x' row 1")
                    .contains("only finite numbers are accepted");
        }
    }

    @Test
    void aMatrixInputNamesTheRowOfTheBadValue() {
        try (PredictionServer server = PredictionServer.create(cfg -> { }).start(Fixture.linear(dir, 1))) {
            HttpResponse<String> r = Fixture.postJson(server, "/v2/models/bike/infer",
                    "{\"inputs\": [{\"name\": \"features\", \"shape\": [2, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4, 1e39, 6]}]}");
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(Fixture.error(r)).contains("feature 'hum' (FP32) got 1.0E39 at input 'features' row 1")
                    .contains("does not fit FP32");
        }
    }
}
