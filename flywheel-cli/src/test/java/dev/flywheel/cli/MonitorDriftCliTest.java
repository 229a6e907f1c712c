package dev.flywheel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code flywheel monitor drift} on real CSV files, with no project anywhere. */
class MonitorDriftCliTest {
    @TempDir
    Path dir;
    private Path reference;
    private Path current;

    @BeforeEach
    void writeData() throws IOException {
        reference = csv("reference.csv", 600, 0, 0.3);
        current = csv("current.csv", 500, 0.8, 0.3);
    }

    /** temp (numeric, shifted by {@code shift}), hum (numeric), city (categorical), holiday (0/1). */
    private Path csv(String name, int rows, double shift, double shareOfRome) throws IOException {
        SplittableRandom r = new SplittableRandom(name.hashCode());
        StringBuilder sb = new StringBuilder("temp,hum,city,holiday\n");
        for (int i = 0; i < rows; i++) {
            double g = Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
            sb.append(String.format(Locale.ROOT, "%.4f,%.3f,%s,%d%n", 20 + 5 * (g + shift), r.nextDouble(),
                    r.nextDouble() < shareOfRome ? "rome" : r.nextBoolean() ? "oslo" : "lima", r.nextInt(10) == 0 ? 1 : 0));
        }
        Path file = dir.resolve(name);
        Files.writeString(file, sb);
        return file;
    }

    /** Runs the CLI with --home at a folder that does not exist: the command must not need a project. */
    private CliResult drift(String... args) {
        String[] all = new String[args.length + 7];
        all[0] = "--home";
        all[1] = dir.resolve("no-project-here").toString();
        all[2] = "monitor";
        all[3] = "drift";
        all[4] = "--reference=" + reference;
        all[5] = "--current=" + current;
        all[6] = "--share=0.5";
        System.arraycopy(args, 0, all, 7, args.length);
        return CliResult.run(all);
    }

    @Test
    void printsATableForPeopleAndExitsZeroWhenDriftIsFound() {
        CliResult result = drift();

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out()).contains("Reference: " + reference + " (600 rows)   Current: " + current + " (500 rows)");
        assertThat(result.out()).containsPattern("COLUMN +KIND +METHOD +SCORE +P-VALUE +THRESHOLD +DRIFT +PSI +MISSING");
        assertThat(result.out()).containsPattern("\\ntemp +numeric +ks +0\\.\\d+ +\\S+ +0\\.05 +yes ");
        assertThat(result.out()).containsPattern("\\nhum +numeric +ks .* no ");
        assertThat(result.out()).containsPattern("\\ncity +categorical +chisquare ");
        assertThat(result.out()).containsPattern("\\nholiday +numeric +z ");
        assertThat(result.out()).contains("Dataset drift: ").contains("columns drifted");
        assertThat(dir.resolve("no-project-here")).doesNotExist();
    }

    @Test
    void jsonHasOneEntryPerColumnAndTheDatasetResult() throws Exception {
        CliResult result = drift("--json");

        assertThat(result.exit()).as(result.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.get("columns")).hasSize(4);
        JsonNode temp = json.get("columns").get(0);
        assertThat(temp.get("column").asText()).isEqualTo("temp");
        assertThat(temp.get("method").asText()).isEqualTo("ks");
        assertThat(temp.get("score").asDouble()).isBetween(0.0, 1.0);
        assertThat(temp.get("p_value").asDouble()).isLessThan(0.05);
        assertThat(temp.get("threshold").asDouble()).isEqualTo(0.05);
        assertThat(temp.get("drifted").asBoolean()).isTrue();
        assertThat(json.get("dataset").get("columns").asInt()).isEqualTo(4);
        assertThat(json.get("dataset").has("drifted")).isTrue();
        assertThat(json.get("reference_rows").asInt()).isEqualTo(600);
    }

    @Test
    void columnsMethodsAndThresholdsCanBeChosen() throws Exception {
        CliResult result = drift("--json", "--columns", "hum,temp", "--method", "temp=wasserstein",
                "--method", "psi", "--threshold", "temp=5", "--threshold", "0.3");

        assertThat(result.exit()).as(result.err()).isZero();
        JsonNode columns = new ObjectMapper().readTree(result.out()).get("columns");
        assertThat(columns).hasSize(2);
        assertThat(columns.get(0).get("column").asText()).isEqualTo("hum");
        assertThat(columns.get(0).get("method").asText()).isEqualTo("psi");
        assertThat(columns.get(0).get("threshold").asDouble()).isEqualTo(0.3);
        assertThat(columns.get(0).get("p_value").isNull()).isTrue();
        assertThat(columns.get(1).get("method").asText()).isEqualTo("wasserstein");
        assertThat(columns.get(1).get("threshold").asDouble()).isEqualTo(5.0);
        assertThat(columns.get(1).get("drifted").asBoolean()).isFalse();
    }

    @Test
    void aColumnWithNoCurrentValuesIsShownAsDriftedWithItsNote() throws IOException {
        StringBuilder sb = new StringBuilder("temp,hum,city,holiday\n");
        for (int i = 0; i < 40; i++) {
            sb.append(20 + i % 7).append(",,oslo,0\n");
        }
        Files.writeString(current, sb);

        CliResult result = drift();

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).containsPattern("\\nhum +numeric +ks +- +- +0\\.05 +yes +- +100%");
        assertThat(result.out()).contains("note: hum: no values in the current data (all 40 rows are missing)");
    }

    @Test
    void badFilesColumnsAndOptionsAreClearErrorsWithNonZeroExitCodes() throws IOException {
        CliResult missing = CliResult.run("monitor", "drift", "--reference", dir.resolve("nope.csv").toString(),
                "--current", current.toString());
        assertThat(missing.exit()).isEqualTo(3);
        assertThat(missing.err()).startsWith("error: CSV file ").contains("nope.csv does not exist");

        assertError(drift("--columns", "temp,wind"), 2, "error: column 'wind' is not in the reference; its columns are"
                + " [temp, hum, city, holiday]");
        assertError(drift("--method", "city=ks"), 2, "error: method ks needs a numeric column, but 'city' is"
                + " categorical (string); use chisquare, z, jensenshannon or psi");
        assertError(drift("--method", "temp=kolmogorov"), 2, "error: unknown drift method 'kolmogorov'; use one of"
                + " ks, wasserstein, chisquare, jensenshannon, z, psi");
        assertError(drift("--threshold", "temp=high"), 2, "error: --threshold temp=high: 'high' is not a number");
        assertError(drift("--threshold", "temp=2"), 2, "error: threshold 2.0 for column 'temp' is a significance level");

        Files.writeString(current, "temp,hum\n1,2,3\n");
        assertError(drift(), 2, "error: ");
        CliResult noOptions = CliResult.run("monitor", "drift");
        assertThat(noOptions.exit()).isEqualTo(2);
        assertThat(noOptions.err()).contains("Missing required options");
    }

    private static void assertError(CliResult result, int exit, String start) {
        assertThat(result.exit()).as(result.out()).isEqualTo(exit);
        assertThat(result.err()).startsWith(start);
        assertThat(result.out()).isEmpty();
    }
}
