package dev.flywheel.cli.render;

import dev.flywheel.monitor.ColumnDrift;
import dev.flywheel.monitor.DatasetDrift;
import dev.flywheel.runtime.MonitorReport;

import java.util.Locale;

/**
 * A drift report as one self-contained HTML page: the verdict, a table per feature, and per numeric feature the
 * reference and current histograms over the same bins as inline SVG (shares, so different sizes compare).
 */
public final class MonitorHtml {
    private static final int WIDTH = 360;
    private static final int HEIGHT = 120;

    private MonitorHtml() {
    }

    public static String render(MonitorReport r) {
        StringBuilder b = new StringBuilder(16_384);
        DatasetDrift d = r.drift().dataset();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Drift of ").append(esc(r.model()))
                .append(" v").append(r.version()).append("</title>\n<style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}")
                .append("td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:left}.yes{color:#b00020;font-weight:bold}")
                .append(".feature{display:inline-block;margin:0 2em 2em 0;vertical-align:top}.legend span{margin-right:1em}")
                .append("</style></head><body>\n");
        b.append("<h1>Drift of ").append(esc(r.model())).append(" version ").append(r.version()).append("</h1>\n");
        b.append("<p>").append(r.rows()).append(" logged rows from ").append(r.from()).append(" to ").append(r.to())
                .append(", against the reference profile of the training data (").append(r.drift().referenceRows()).append(" rows)");
        if (r.droppedRequests() > 0) {
            b.append("; the prediction log dropped ").append(r.droppedRequests()).append(" requests in this window");
        }
        b.append(".</p>\n<p><b>Dataset drift: ").append(d.drifted() ? "<span class=\"yes\">YES</span>" : "no").append("</b> - ")
                .append(d.driftedColumns()).append(" of ").append(d.columns()).append(" features drifted; the dataset drifts when at least ")
                .append(pct(d.threshold())).append(" do.</p>\n");
        b.append("<table><tr><th>feature</th><th>method</th><th>score</th><th>p-value</th><th>threshold</th><th>drifted</th><th>PSI</th></tr>\n");
        for (ColumnDrift c : r.drift().columns()) {
            b.append("<tr><td>").append(esc(c.column())).append("</td><td>").append(c.method().id()).append("</td><td>")
                    .append(num(c.score())).append("</td><td>").append(num(c.pValue())).append("</td><td>").append(num(c.threshold()))
                    .append("</td><td").append(c.drifted() ? " class=\"yes\">yes" : ">no").append("</td><td>").append(num(c.psi()))
                    .append("</td></tr>\n");
        }
        b.append("</table>\n<h2>Histograms</h2>\n<p class=\"legend\"><span style=\"color:#4e79a7\">&#9632; reference</span>")
                .append("<span style=\"color:#f28e2b\">&#9632; current</span></p>\n");
        for (MonitorReport.FeatureHistogram h : r.histograms()) {
            b.append("<div class=\"feature\"><h3>").append(esc(h.feature())).append("</h3>").append(svg(h)).append("</div>\n");
        }
        return b.append("</body></html>\n").toString();
    }

    private static String svg(MonitorReport.FeatureHistogram h) {
        int bins = h.reference().length;
        double refTotal = Math.max(1, sum(h.reference()));
        double curTotal = Math.max(1, sum(h.current()));
        double max = 0;
        for (int i = 0; i < bins; i++) {
            max = Math.max(max, Math.max(h.reference()[i] / refTotal, h.current()[i] / curTotal));
        }
        max = max == 0 ? 1 : max;
        double slot = (double) WIDTH / bins;
        double bar = Math.max(1, slot / 2 - 1);
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT + 16)
                .append("\" role=\"img\" aria-label=\"").append(esc(h.feature())).append(" reference vs current\">");
        for (int i = 0; i < bins; i++) {
            double ref = h.reference()[i] / refTotal / max * HEIGHT;
            double cur = h.current()[i] / curTotal / max * HEIGHT;
            double x = i * slot;
            rect(s, x, HEIGHT - ref, bar, ref, "#4e79a7", h.edges()[i], h.edges()[i + 1], h.reference()[i]);
            rect(s, x + bar + 1, HEIGHT - cur, bar, cur, "#f28e2b", h.edges()[i], h.edges()[i + 1], h.current()[i]);
        }
        s.append("<text x=\"0\" y=\"").append(HEIGHT + 13).append("\" font-size=\"11\">").append(num(h.edges()[0])).append("</text>");
        s.append("<text x=\"").append(WIDTH).append("\" y=\"").append(HEIGHT + 13).append("\" font-size=\"11\" text-anchor=\"end\">")
                .append(num(h.edges()[bins])).append("</text></svg>");
        return s.toString();
    }

    private static void rect(StringBuilder s, double x, double y, double w, double h, String color, double lo, double hi, long n) {
        s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">", x, y, w, h, color))
                .append("<title>").append(num(lo)).append(" .. ").append(num(hi)).append(": ").append(n).append("</title></rect>");
    }

    private static long sum(long[] a) {
        long s = 0;
        for (long v : a) {
            s += v;
        }
        return s;
    }

    private static String num(Double v) {
        if (v == null) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private static String pct(double share) {
        return String.format(Locale.ROOT, "%.0f%%", share * 100);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
