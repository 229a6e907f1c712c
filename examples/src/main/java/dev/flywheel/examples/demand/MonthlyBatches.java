package dev.flywheel.examples.demand;

import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.data.Table;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts a time-ordered CSV into one table per calendar month (by the {@code yyyy-MM} prefix of a date column), so a
 * historical data set can be replayed as "new data arrives" month by month.
 */
public final class MonthlyBatches {
    private MonthlyBatches() {
    }

    /** The months of {@code table} in order of first appearance, each with its rows. */
    public static List<Table> split(Table table, String dateColumn) {
        if (!table.hasColumn(dateColumn)) {
            throw FlywheelException.invalid("The data has no date column '" + dateColumn + "' to cut it into months; its columns are "
                    + table.columnNames());
        }
        String[] dates = table.strings(dateColumn);
        Map<String, List<Integer>> rows = new LinkedHashMap<>();
        for (int i = 0; i < dates.length; i++) {
            if (dates[i] == null || dates[i].length() < 7) {
                throw FlywheelException.invalid("Row " + (i + 1) + " has no yyyy-MM date in column '" + dateColumn + "': " + dates[i]);
            }
            rows.computeIfAbsent(dates[i].substring(0, 7), k -> new ArrayList<>()).add(i);
        }
        List<Table> months = new ArrayList<>();
        for (List<Integer> r : rows.values()) {
            months.add(table.take(r.stream().mapToInt(Integer::intValue).toArray()));
        }
        return months;
    }

    /** Writes {@code month} as {@code batch-NN.csv} ({@code number} from 1) atomically; returns the file. */
    public static Path write(Table month, Path folder, int number) {
        try {
            Files.createDirectories(folder);
            Path file = folder.resolve(String.format("batch-%02d.csv", number));
            Path tmp = folder.resolve("." + file.getFileName() + ".tmp");
            month.writeCsv(tmp);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write batch " + number + " to " + folder, e);
        }
    }
}
