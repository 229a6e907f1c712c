package dev.flywheel.cli.command;

import dev.flywheel.cli.render.Json;
import dev.flywheel.cli.render.TextTable;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.store.transfer.TransferReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;

/** {@code flywheel export} and {@code flywheel import}: move a project between stores, checked by counts and hashes. */
public final class TransferCommands {
    private TransferCommands() {
    }

    @Command(name = "export",
            footer = {"  flywheel export --to /tmp/demand-export", "  flywheel export --to backup --json"},
            description = "Write this project (runs, steps, artifacts and their bytes, models, stacks, schedules, triggers) into a "
                    + "folder that flywheel import loads into another project, e.g. one on PostgreSQL and S3. Every blob is checked "
                    + "against its recorded sha256; the project is only read. Services and secrets stay behind (deploy and create "
                    + "them again on the target).")
    public static final class Export implements Runnable {
        @Option(names = "--to", required = true, paramLabel = "DIR", description = "The folder to write; it must not exist or be empty.")
        Path to;
        @Option(names = "--json", description = "Print JSON.")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            TransferReport report;
            try (Flywheel flywheel = Project.existing(spec)) {
                report = flywheel.exportTo(to);
            }
            print(spec, report, json, "Exported");
        }
    }

    @Command(name = "import",
            footer = {"  flywheel import /tmp/demand-export", "  flywheel import backup --json"},
            description = "Load a folder written by flywheel export into this project (which must have no runs, artifacts, models, "
                    + "schedules or triggers yet): blobs go to the active stack's artifact store, rows in one transaction. Counts "
                    + "and hashes are checked before anything is written; a failure leaves this project as it was.")
    public static final class Import implements Runnable {
        @Parameters(index = "0", paramLabel = "DIR", description = "A folder written by flywheel export.")
        Path from;
        @Option(names = "--json", description = "Print JSON.")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            TransferReport report;
            try (Flywheel flywheel = Project.existing(spec)) {
                report = flywheel.importFrom(from);
            }
            print(spec, report, json, "Imported");
        }
    }

    private static void print(CommandSpec spec, TransferReport report, boolean json, String verb) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, report);
            return;
        }
        boolean imported = verb.equals("Imported");
        TextTable t = imported ? new TextTable("TABLE", "ROWS", "ADDED", "ALREADY THERE") : new TextTable("TABLE", "ROWS");
        for (TransferReport.TableCount c : report.tables()) {
            if (imported) {
                t.row(c.table(), c.exported(), c.added(), c.existing());
            } else {
                t.row(c.table(), c.exported());
            }
        }
        t.print(out);
        out.println(verb + " " + report.rows() + " rows and " + report.blobs() + " blobs (" + report.blobsCopied() + " copied, "
                + report.bytesCopied() + " bytes) " + (imported ? "from " : "to ") + report.folder() + "; counts and sha256 checked");
        report.skippedRows().forEach((table, n) -> out.println("Left out: " + n + " rows of " + table));
        out.flush();
    }
}
