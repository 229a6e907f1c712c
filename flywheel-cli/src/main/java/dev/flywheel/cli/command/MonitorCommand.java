package dev.flywheel.cli.command;

import dev.flywheel.cli.render.Formats;
import dev.flywheel.cli.render.Json;
import dev.flywheel.cli.render.MonitorHtml;
import dev.flywheel.cli.render.TextTable;
import dev.flywheel.monitor.ColumnDrift;
import dev.flywheel.monitor.DatasetDrift;
import dev.flywheel.monitor.DriftConfig;
import dev.flywheel.monitor.DriftEngine;
import dev.flywheel.monitor.DriftMethod;
import dev.flywheel.monitor.DriftReport;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.runtime.LabelImport;
import dev.flywheel.runtime.LabelTable;
import dev.flywheel.runtime.LivePerformance;
import dev.flywheel.runtime.MonitorReport;
import dev.flywheel.runtime.MonitorStatus;
import dev.flywheel.sdk.FlywheelException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

@Command(name = "monitor",
        footer = {"  flywheel monitor status",
            "  flywheel monitor report bike_demand --since 6h --html drift.html",
            "  flywheel monitor drift --reference train.csv --current last-week.csv"},
        description = "Watch what models see after deployment: logged predictions, data drift against the training data.",
        subcommands = {MonitorCommand.Status.class, MonitorCommand.Report.class, MonitorCommand.Labels.class,
            MonitorCommand.Performance.class, MonitorCommand.Drift.class})
public final class MonitorCommand {

    @Command(name = "labels", sortOptions = false,
            footer = {"  flywheel monitor labels bike_demand --file labels.csv",
                "  flywheel monitor labels m --jdbc-url jdbc:sqlite:l.db --table labels",
                "  flywheel monitor labels m --jdbc-url URL --table t --poll-every 10m",
                "  flywheel monitor labels m --jdbc-url URL --table t --password-env PW"},
            description = {"Add ground truth for logged predictions: request ids (the X-Request-Id the server"
                    + " returned) and their true values; `monitor performance` matches them with what was predicted.",
                "From a CSV (--file) whose header is request_id,label (or request_id,row,label for requests of several rows),"
                    + " or from a database table (--jdbc-url, --table): what was read is remembered (past --watermark-column,"
                    + " and rows kept before are skipped), so each label is imported once; --poll-every makes the scheduler"
                    + " daemon read the table again at that interval before it checks the model's performance triggers."})
    static final class Labels implements Runnable {
        @Parameters(index = "0", paramLabel = "MODEL", description = "The registered model the requests went to.")
        String model;

        @Option(names = "--file", paramLabel = "CSV",
                description = "CSV with a header: request_id,label (or request_id,row,label).")
        Path file;

        @Option(names = "--jdbc-url", paramLabel = "URL", description = "A database to read labels from (PostgreSQL, SQLite).")
        String jdbcUrl;

        @Option(names = "--table", paramLabel = "TABLE", description = "The table (schema.table) of labels.")
        String table;

        @Option(names = "--id-column", paramLabel = "COLUMN", defaultValue = "request_id", description = "Request ids (default: ${DEFAULT-VALUE}).")
        String idColumn;

        @Option(names = "--label-column", paramLabel = "COLUMN", defaultValue = "label", description = "True values (default: ${DEFAULT-VALUE}).")
        String labelColumn;

        @Option(names = "--row-column", paramLabel = "COLUMN", description = "Row numbers within a request (default: every label is row 0).")
        String rowColumn;

        @Option(names = "--watermark-column", paramLabel = "COLUMN",
                description = "A number or time that grows with each new or changed row (id, updated_at); default: read the whole table.")
        String watermarkColumn;

        @Option(names = "--user", paramLabel = "USER", description = "The database user.")
        String user;

        @Option(names = "--password-env", paramLabel = "VAR", description = "The environment variable that holds the password.")
        String passwordEnv;

        @Option(names = "--password", paramLabel = "REF", description = "The password as a secret reference: '{{secret.NAME.KEY}}'.")
        String password;

        @Option(names = "--poll-every", paramLabel = "DURATION",
                description = "The scheduler daemon reads the table again this often (0 stops it).")
        String pollEvery;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            if ((file == null) == (jdbcUrl == null)) {
                throw FlywheelException.invalid("Give the labels either as --file labels.csv or as --jdbc-url URL --table TABLE");
            }
            if (file != null) {
                int added;
                try (Flywheel flywheel = Project.existing(spec)) {
                    added = flywheel.monitoring().addLabels(model, file);
                }
                if (json) {
                    Json.print(out, java.util.Map.of("model", model, "labels", added));
                    return;
                }
                out.println("Added " + added + " labels for model " + model + "; see: flywheel monitor performance " + model);
                out.flush();
                return;
            }
            if (passwordEnv != null && password != null) {
                throw FlywheelException.invalid("Give the password once: --password-env VAR or --password '{{secret.NAME.KEY}}'");
            }
            if (table == null) {
                throw FlywheelException.invalid("--jdbc-url needs --table: the table the labels land in");
            }
            String passwordRef = passwordEnv != null ? "{{env." + passwordEnv + "}}" : password;
            Duration every = pollEvery == null ? null : pollEvery.strip().equals("0") ? Duration.ZERO : Durations.parse(pollEvery, "--poll-every");
            LabelImport r;
            try (Flywheel flywheel = Project.existing(spec)) {
                r = flywheel.monitoring().importLabels(model, new LabelTable(jdbcUrl, table, idColumn, rowColumn, labelColumn, watermarkColumn,
                        user, passwordRef), every);
            }
            if (json) {
                Json.print(out, r);
                return;
            }
            out.println("Added " + r.added() + " labels for model " + model + " from " + r.source() + " (" + r.read() + " rows read, "
                    + r.alreadyKept() + " already kept, " + r.notLabelled() + " without a label yet"
                    + (r.watermark() == null ? "" : "; read up to " + watermarkColumn + " " + r.watermark()) + ").");
            out.println(r.pollEvery() == null ? "The table is read when you run this again (--poll-every 10m: the scheduler reads it)."
                    : "The scheduler daemon reads it again every " + Durations.format(r.pollEvery()) + " (flywheel scheduler start).");
            out.println("See: flywheel monitor performance " + model);
            out.flush();
        }
    }

    @Command(name = "performance", sortOptions = false,
            footer = {"  flywheel monitor performance bike_demand",
                "  flywheel monitor performance bike_demand --since 7d --window 1d --json"},
            description = "Live metrics of a model on its labelled predictions (rmse, mae, mape; accuracy, precision, recall,"
                    + " f1, roc_auc for 0/1 labels), window by window, beside the metrics its version was registered with.")
    static final class Performance implements Runnable {
        @Parameters(index = "0", paramLabel = "MODEL", description = "The registered model.")
        String model;

        @Option(names = "--since", paramLabel = "DURATION", defaultValue = "7d",
                description = "How far back (default: ${DEFAULT-VALUE}).")
        String since;

        @Option(names = "--window", paramLabel = "DURATION", defaultValue = "1d",
                description = "One row of metrics per window of this length (default: ${DEFAULT-VALUE}).")
        String window;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            LivePerformance p;
            try (Flywheel flywheel = Project.existing(spec)) {
                p = flywheel.monitoring().performance(model, Durations.parse(since, "--since"), Durations.parse(window, "--window"));
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Json.print(out, p);
                return;
            }
            if (p.windows().isEmpty()) {
                out.println("No labelled predictions of model " + model + " since " + Formats.time(p.from())
                        + "; add ground truth with: flywheel monitor labels " + model + " --file labels.csv");
                out.flush();
                return;
            }
            java.util.List<String> names = p.windows().stream().flatMap(w -> w.metrics().keySet().stream()).distinct().toList();
            java.util.List<String> header = new java.util.ArrayList<>(java.util.List.of("WINDOW START", "VERSION", "LABELLED"));
            names.forEach(n -> header.add(n.toUpperCase(Locale.ROOT)));
            TextTable t = new TextTable(header.toArray(String[]::new));
            java.util.List<String> offline = new java.util.ArrayList<>(java.util.List.of("offline (registered)", Integer.toString(p.version()), "-"));
            names.forEach(n -> offline.add(p.offline().containsKey(n) ? Drift.number(p.offline().get(n)) : "-"));
            t.row(offline.toArray(String[]::new));
            for (LivePerformance.Window w : p.windows()) {
                java.util.List<String> row = new java.util.ArrayList<>(java.util.List.of(Formats.time(w.start()),
                        Integer.toString(w.version()), Long.toString(w.labelledRows())));
                names.forEach(n -> row.add(w.metrics().containsKey(n) ? Drift.number(w.metrics().get(n)) : "-"));
                t.row(row.toArray(String[]::new));
            }
            t.print(out);
            out.flush();
        }
    }

    @Command(name = "report", sortOptions = false,
            footer = {"  flywheel monitor report bike_demand",
                "  flywheel monitor report bike_demand --since 6h --html drift.html",
                "  flywheel monitor report bike_demand --since 7d --json"},
            description = {"Drift of what a deployed model was asked (its prediction log) against the reference profile of its"
                    + " training data, feature by feature: method, score, threshold, drifted; the newest version logged in the"
                    + " window is compared.",
                "Exit code 0 whenever the comparison ran, drift or not."})
    static final class Report implements Runnable {
        @Parameters(index = "0", paramLabel = "MODEL", description = "The registered model.")
        String model;

        @Option(names = "--since", paramLabel = "DURATION", defaultValue = "24h",
                description = "The window: predictions logged in the last DURATION (default: ${DEFAULT-VALUE}; 30m, 6h, 7d).")
        String since;

        @Option(names = "--html", paramLabel = "FILE",
                description = "Also write the report as an HTML page with reference vs current histograms (SVG).")
        Path html;

        @Option(names = "--json", description = "Print JSON: the window, the rows per version, and per feature the drift.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            Duration window = Durations.parse(since, "--since");
            MonitorReport report;
            try (Flywheel flywheel = Project.existing(spec)) {
                report = flywheel.monitoring().report(model, window);
            }
            if (html != null) {
                writeHtml(html, MonitorHtml.render(report));
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Json.print(out, report);
                return;
            }
            out.println("Model " + report.model() + " version " + report.version() + ": " + report.rows() + " logged rows from "
                    + Formats.time(report.from()) + " to " + Formats.time(report.to())
                    + (report.droppedRequests() > 0 ? " (" + report.droppedRequests() + " requests dropped by the log)" : ""));
            out.println();
            Drift.print(out, report.drift());
            if (html != null) {
                out.println("HTML report: " + html.toAbsolutePath());
            }
            out.flush();
        }

        private static void writeHtml(Path file, String page) {
            try {
                Path parent = file.toAbsolutePath().getParent();
                Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
                Files.writeString(tmp, page, StandardCharsets.UTF_8);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (NoSuchFileException e) {
                throw FlywheelException.notFound("--html " + file + ": the folder " + file.toAbsolutePath().getParent()
                        + " does not exist; create it first");
            } catch (IOException e) {
                throw FlywheelException.invalid("--html " + file + " cannot be written: " + e.getMessage());
            }
        }
    }

    @Command(name = "status",
            footer = {"  flywheel monitor status", "  flywheel monitor status bike_demand --json"},
            description = "Each model with logged predictions (or MODEL): rows logged in the last 24 hours, the newest one,"
                    + " requests the log dropped, and how many features drift against the training data.")
    static final class Status implements Runnable {
        @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = "Only this model.")
        String model;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            List<MonitorStatus> status;
            try (Flywheel flywheel = Project.existing(spec)) {
                status = flywheel.monitoring().status(model);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Json.print(out, status);
                return;
            }
            if (status.isEmpty()) {
                out.println("No prediction logs yet. Deploy a model (flywheel models deploy MODEL) and send it requests;"
                        + " its servers log them to .flywheel/artifacts/predictions.");
                out.flush();
                return;
            }
            TextTable t = new TextTable("MODEL", "VERSION", "ROWS (24H)", "LAST PREDICTION", "DROPPED", "DRIFTED FEATURES", "DATASET DRIFT");
            for (MonitorStatus s : status) {
                t.row(s.model(), s.version() == 0 ? "-" : Integer.toString(s.version()), Long.toString(s.rows()),
                        s.lastPrediction() == null ? "-" : Formats.time(s.lastPrediction()), Long.toString(s.droppedRequests()),
                        s.features() == null ? "-" : s.driftedFeatures() + " of " + s.features(),
                        s.datasetDrift() == null ? "-" : s.datasetDrift() ? "YES" : "no");
            }
            t.print(out);
            status.stream().filter(s -> s.problem() != null).forEach(s -> out.println("note: " + s.model() + ": " + s.problem()));
            out.flush();
        }
    }

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
            printWithFiles(out, report);
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

        private void printWithFiles(PrintWriter out, DriftReport report) {
            out.println("Reference: " + reference + " (" + report.referenceRows() + " rows)   Current: " + current
                    + " (" + report.currentRows() + " rows)");
            out.println();
            print(out, report);
        }

        /** The per-column table and the dataset verdict. */
        static void print(PrintWriter out, DriftReport report) {
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
        static String number(Double v) {
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
