package dev.flywheel.cli.command;

import dev.flywheel.cli.render.Json;
import dev.flywheel.cli.render.TextTable;
import dev.flywheel.runtime.Flywheel;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The one flow of every list command: open the project, ask one facade method for the rows, then print them as
 * JSON ({@code --json}: the rows as they are, {@code []} when there are none), or the message for no rows, or a
 * table. A command declares its columns and its empty message; nothing else.
 *
 * <pre>{@code
 * Listing.of("No runs yet. Start one with: flywheel run PIPELINE", "RUN", "PIPELINE", "STATUS")
 *         .row((RunRecord r) -> new Object[]{Formats.shortId(r.id()), r.pipeline(), r.status()})
 *         .print(spec, json, flywheel -> flywheel.runs().list(null, 50));
 * }</pre>
 *
 * @param <T> a row as the facade returns it
 */
final class Listing<T> {
    private final Function<List<T>, String> empty;
    private final String[] headers;
    private final Function<T, Object[]> row;
    private final Function<T, ?> jsonView;
    private final BiConsumer<PrintWriter, List<T>> footer;

    private Listing(Function<List<T>, String> empty, String[] headers, Function<T, Object[]> row, Function<T, ?> jsonView,
                    BiConsumer<PrintWriter, List<T>> footer) {
        this.empty = empty;
        this.headers = headers;
        this.row = row;
        this.jsonView = jsonView;
        this.footer = footer;
    }

    /** The same listing with {@code --json} printing {@code view} of each row instead of the row itself. */
    Listing<T> json(Function<T, ?> view) {
        return new Listing<>(empty, headers, row, view, footer);
    }

    /** The same listing with lines printed under the table (notes about some rows); not for JSON or no rows. */
    Listing<T> footer(BiConsumer<PrintWriter, List<T>> lines) {
        return new Listing<>(empty, headers, row, jsonView, lines);
    }

    /** A listing whose table has these columns and that prints {@code emptyMessage} when there are no rows. */
    static Columns of(String emptyMessage, String... headers) {
        return new Columns(emptyMessage, headers);
    }

    /** The columns, waiting for how one row fills them. */
    static final class Columns {
        private final String emptyMessage;
        private final String[] headers;

        private Columns(String emptyMessage, String[] headers) {
            this.emptyMessage = emptyMessage;
            this.headers = headers;
        }

        <T> Listing<T> row(Function<T, Object[]> cells) {
            return new Listing<>(rows -> emptyMessage, headers, cells, Function.identity(), (out, rows) -> {
            });
        }
    }

    /** Opens the project the command names, queries it, prints. */
    void print(CommandSpec spec, boolean json, Function<Flywheel, List<T>> query) {
        print(spec, json, Project::existing, query);
    }

    /** As {@link #print(CommandSpec, boolean, Function)}, with the project opened by {@code open}. */
    void print(CommandSpec spec, boolean json, Function<CommandSpec, Flywheel> open, Function<Flywheel, List<T>> query) {
        try (Flywheel flywheel = open.apply(spec)) {
            print(spec.commandLine().getOut(), json, query.apply(flywheel));
        }
    }

    /** Prints rows already at hand. */
    void print(PrintWriter out, boolean json, List<T> rows) {
        if (json) {
            Json.print(out, rows.stream().map(jsonView).toList());
            return;
        }
        if (rows.isEmpty()) {
            out.println(empty.apply(rows));
            out.flush();
            return;
        }
        TextTable t = new TextTable(headers);
        rows.forEach(r -> t.row(row.apply(r)));
        t.print(out);
        footer.accept(out, rows);
        out.flush();
    }
}
