package dev.flywheel.runtime;

import dev.flywheel.cd.ConditionResult;
import dev.flywheel.monitor.ColumnDrift;

import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** A {@link CiReport} as Markdown for a pull-request comment (GitHub and GitLab render the same subset). */
public final class CiReportMarkdown {
    private CiReportMarkdown() {
    }

    public static String render(CiReport r) {
        StringBuilder md = new StringBuilder();
        String verdict = switch (r.outcome()) {
            case PASSED -> "PASSED: version " + r.gate().candidateVersion() + " beats production";
            case REJECTED -> "REJECTED by the deployment gate";
            case FAILED -> "FAILED: the run did not finish";
            case NO_GATE -> "no deployment gate in this pipeline";
        };
        md.append("## Flywheel: ").append(r.pipeline()).append(" on ").append(r.stack()).append(": ").append(verdict).append("\n\n");
        md.append("| | |\n|---|---|\n");
        row(md, "Run", r.dashboardUrl() == null ? code(r.runId()) : "[" + r.runId() + "](" + r.dashboardUrl() + ")");
        row(md, "Code", r.code().known() ? code(r.code().commit()) + " on " + (r.code().branch() == null ? "an unknown branch" : code(r.code().branch()))
                + (Boolean.TRUE.equals(r.code().dirty()) ? " (uncommitted changes)" : "") : "unknown (not a git work tree)");
        row(md, "Status", r.status().name() + (r.error() == null ? "" : ": " + escape(r.error())));
        row(md, "Compared with", r.baseline() == null ? "stack " + code(r.stack()) + "'s own production version" : "stack " + code(r.baseline()) + "'s production version");
        md.append('\n');

        md.append("### Data validation\n\n");
        if (r.validation().isEmpty()) {
            md.append("No validation step in this pipeline.\n\n");
        } else {
            md.append("| step | status | details |\n|---|---|---|\n");
            for (CiReport.Check c : r.validation()) {
                md.append("| ").append(code(c.step())).append(" | ").append(c.status()).append(" | ")
                        .append(c.error() != null ? escape(c.error()) : details(c.details())).append(" |\n");
            }
            md.append('\n');
        }

        md.append("### Data drift against production's training data\n\n");
        if (r.drift().report() == null) {
            md.append(escape(r.drift().note())).append("\n\n");
        } else {
            var d = r.drift().report();
            md.append("Reference: ").append(escape(r.drift().reference())).append("; current: the evaluation data (").append(d.currentRows())
                    .append(" rows). ").append(d.dataset().drifted() ? "**Dataset drift: YES**" : "Dataset drift: no").append(" (")
                    .append(d.dataset().driftedColumns()).append(" of ").append(d.dataset().columns()).append(" columns).\n\n");
            md.append("| column | method | score | p-value | threshold | drift |\n|---|---|---|---|---|---|\n");
            for (ColumnDrift c : d.columns()) {
                md.append("| ").append(code(c.column())).append(" | ").append(c.method().name().toLowerCase(Locale.ROOT)).append(" | ")
                        .append(num(c.score())).append(" | ").append(num(c.pValue())).append(" | ").append(num(c.threshold())).append(" | ")
                        .append(c.drifted() ? "**yes**" : "no").append(" |\n");
            }
            md.append('\n');
        }

        md.append("### Metrics: new version beside production, on the same evaluation data\n\n");
        CiReport.Gate g = r.gate();
        if (g == null) {
            md.append("No deployment gate, so no comparison.\n\n");
        } else {
            String base = g.baselineVersion() > 0 ? "v" + g.baselineVersion() + " (" + g.baselineSource() + ")" : "none";
            md.append("| condition | new v").append(g.candidateVersion()).append(" | ").append(base)
                    .append(" | threshold | min. change | result |\n|---|---|---|---|---|---|\n");
            for (ConditionResult c : g.conditions()) {
                md.append("| ").append(code(c.name())).append(" | ").append(num(c.challenger())).append(" | ").append(num(c.baseline()))
                        .append(" | ").append(num(c.threshold())).append(" | ").append(num(c.minAbsoluteChange())).append(" | ")
                        .append(c.passed() ? "pass" : "**FAIL**").append(" |\n");
            }
            md.append('\n');
            if (!g.candidateMetrics().isEmpty() || !g.baselineMetrics().isEmpty()) {
                md.append("Recorded in the registry:\n\n| metric | new v").append(g.candidateVersion()).append(" | ").append(base).append(" |\n|---|---|---|\n");
                TreeSet<String> names = new TreeSet<>(g.candidateMetrics().keySet());
                names.addAll(g.baselineMetrics().keySet());
                for (String n : names) {
                    md.append("| ").append(code(n)).append(" | ").append(num(g.candidateMetrics().get(n))).append(" | ")
                            .append(num(g.baselineMetrics().get(n))).append(" |\n");
                }
                md.append('\n');
            }
            md.append("### Gate decision\n\n**").append(g.accepted() ? "Accepted" : "Rejected").append("**: ").append(escape(g.reason())).append("\n\n");
        }

        md.append("### Deployment on merge\n\n");
        CiReport.Plan p = r.deployment();
        if (!p.deploys()) {
            md.append("Nothing would be deployed: ").append(escape(p.how().replaceFirst("^nothing: ", ""))).append(".\n");
        } else {
            md.append("Version ").append(p.version()).append(" of ").append(code(p.model())).append(" goes to stack ").append(code(p.stack()))
                    .append(" through model deployer ").append(code(p.deployer())).append(": ").append(p.how()).append(".\n\n")
                    .append("```\n").append(p.command()).append("\n```\n");
        }
        return md.toString();
    }

    private static void row(StringBuilder md, String key, String value) {
        md.append("| ").append(key).append(" | ").append(value).append(" |\n");
    }

    private static String details(Map<String, Object> details) {
        if (details.isEmpty()) {
            return "-";
        }
        StringBuilder s = new StringBuilder();
        details.forEach((k, v) -> s.append(s.isEmpty() ? "" : ", ").append(k).append('=').append(v));
        return escape(s.toString());
    }

    private static String code(String s) {
        return s == null ? "-" : "`" + s.replace("`", "'") + "`";
    }

    /** Table cells: no pipes or line breaks, no HTML. */
    static String escape(String s) {
        if (s == null) {
            return "-";
        }
        return s.replace("|", "\\|").replace("\r", " ").replace("\n", " ").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String num(Double v) {
        if (v == null || v.isNaN()) {
            return "-";
        }
        double a = Math.abs(v);
        return a != 0 && (a < 1e-3 || a >= 1e6) ? String.format(Locale.ROOT, "%.4g", v) : String.format(Locale.ROOT, "%.4f", v);
    }
}
