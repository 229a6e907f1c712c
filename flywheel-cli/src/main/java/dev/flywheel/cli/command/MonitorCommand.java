package dev.flywheel.cli.command;

import dev.flywheel.cli.render.Json;
import dev.flywheel.cli.render.TextTable;
import dev.flywheel.monitor.ColumnDrift;
import dev.flywheel.monitor.DatasetDrift;
import dev.flywheel.monitor.DriftConfig;
import dev.flywheel.monitor.DriftEngine;
import dev.flywheel.monitor.DriftMethod;
import dev.flywheel.monitor.DriftReport;
import dev.flywheel.sdk.FlywheelException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

@Command(name = "monitor",
        footer = {"  flywheel monitor drift --reference train.csv --current last-week.csv"},
        description = "Watch what models see after deployment: data drift.",
        subcommands = {MonitorCommand.Drift.class})
public final class MonitorCommand {

    @Command(name = "drift", sortOptions = false,
            footer = {"  flywheel monitor drift --reference train.csv --current last-week.csv",
                "  flywheel monitor drift --reference a.csv --current b.csv --json",
                "  flywheel monitor drift --reference a.csv --current b.csv --columns temp,hum",
                "  flywheel monitor drift --reference a.csv --current b.csv --method temp=ks",
                "  flywheel monitor drift --reference a.csv --current b.csv --threshold 0.2"},
            description = {"Compare current data with reference data, column by column, with Evidently's drift tests"
                    + " (reference <= 1,000 rows: Kolmogorov-Smirnov, chi-squared or Z-test; larger: Wasserstein or"
                    + " Jensen-Shannon), PSI beside each. Needs no project.",
                "Exit code 0 whenever the comparison ran, drift or not; see the DRIFT column or dataset.drifted."})
    static final class Drift implements Runnable {
        @Option(names = "--reference", required = true, paramLabel = "FILE",
                description = "Reference data, such as the training data: CSV with a header row.")
        Path reference;

        @Option(names = "--current", required = true, paramLabel = "FILE",
                description = "Current data, such as recent model inputs: CSV with the same column names.")
        Path current;

        @Option(names = "--columns", split = ",", paramLabel = "COLUMN",
                description = "Compare only these columns, in this order (default: every reference column).")
        List<String> columns = List.of();

        @Option(names = "--method", paramLabel = "[COLUMN=]METHOD",
                description = "Use METHOD (ks, wasserstein, chisquare, jensenshannon, z, psi) for COLUMN, or for every"
                        + " column it applies to. Repeatable.")
        List<String> methods = List.of();

        @Option(names = "--threshold", paramLabel = "[COLUMN=]VALUE",
                description = "Drift threshold for COLUMN, or for every column: a p-value for ks, chisquare and z"
                        + " (drift when p < VALUE), a distance otherwise (drift when score >= VALUE). Repeatable.")
        List<String> thresholds = List.of();

        @Option(names = "--share", paramLabel = "SHARE",
                description = "The dataset drifts when at least this share of the columns drift (default: 0.5).")
        Double share;

        @Option(names = "--json", description = "Print JSON: one entry per column and the dataset result.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            DriftReport report = DriftEngine.create(config()).compareCsv(reference, current);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Json.print(out, report);
                return;
            }
            print(out, report);
        }

        private DriftConfig config() {
            DriftConfig config = DriftConfig.defaults().withColumns(columns);
            for (String m : methods) {
                int eq = m.lastIndexOf('=');
                config = eq < 0 ? config.withMethod(DriftMethod.parse(m))
                        : config.withMethod(m.substring(0, eq), DriftMethod.parse(m.substring(eq + 1)));
            }
            for (String t : thresholds) {
                int eq = t.lastIndexOf('=');
                double value = number("--threshold", t, t.substring(eq + 1));
                config = eq < 0 ? config.withThreshold(value) : config.withThreshold(t.substring(0, eq), value);
            }
            return share == null ? config : config.withDriftShare(share);
        }

        private static double number(String option, String argument, String text) {
            try {
                return Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                throw FlywheelException.invalid(option + " " + argument + ": '" + text + "' is not a number; write"
                        + " COLUMN=VALUE or VALUE, for example " + option + " age=0.01");
            }
        }

        private void print(PrintWriter out, DriftReport report) {
            out.println("Reference: " + reference + " (" + report.referenceRows() + " rows)   Current: " + current
                    + " (" + report.currentRows() + " rows)");
            out.println();
            TextTable t = new TextTable("COLUMN", "KIND", "METHOD", "SCORE", "P-VALUE", "THRESHOLD", "DRIFT", "PSI",
                    "MISSING");
            for (ColumnDrift c : report.columns()) {
                t.row(c.column(), c.kind().id(), c.method().id(), number(c.score()), number(c.pValue()),
                        number(c.threshold()), c.drifted() ? "yes" : "no",
                        c.psi() == null ? "-" : number(c.psi()) + " " + c.psiLevel().id(),
                        percent(c.currentMissingShare()));
            }
            t.print(out);
            report.columns().stream().filter(c -> c.note() != null)
                    .forEach(c -> out.println("note: " + c.column() + ": " + c.note()));
            DatasetDrift d = report.dataset();
            out.println();
            out.println("Dataset drift: " + (d.drifted() ? "YES" : "no") + " - " + d.driftedColumns() + " of "
                    + d.columns() + " columns drifted (" + percent(d.share()) + "); the dataset drifts when at least "
                    + percent(d.threshold()) + " do.");
            out.flush();
        }

        /** Four significant digits, no exponent for ordinary sizes. */
        private static String number(Double v) {
            if (v == null) {
                return "-";
            }
            if (v.isInfinite()) {
                return v > 0 ? "inf" : "-inf";
            }
            if (v == 0) {
                return "0";
            }
            double a = Math.abs(v);
            String s = a >= 1e-4 && a < 1e6 ? String.format(Locale.ROOT, "%.4g", v) : String.format(Locale.ROOT, "%.3e", v);
            return s.contains("e") || !s.contains(".") ? s : s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }

        private static String percent(double share) {
            return share == 0 ? "0%" : String.format(Locale.ROOT, "%.1f%%", share * 100).replace(".0%", "%");
        }
    }
}
