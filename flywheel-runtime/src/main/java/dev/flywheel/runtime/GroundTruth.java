package dev.flywheel.runtime;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Labels (ground truth) that arrive after the predictions: kept as CSV files {@code request_id,row,label} under
 * {@code .flywheel/artifacts/labels/MODEL/}, one file per import (written to a temporary name, then renamed), read
 * all together with later imports winning for the same request row.
 */
final class GroundTruth {
    private final Path dir;

    GroundTruth(Path dir) {
        this.dir = dir;
    }

    /** One label: request {@code requestId}'s row {@code row}. */
    record Key(String requestId, int row) {
    }

    /**
     * Reads {@code csv} ({@code request_id,label} or {@code request_id,row,label}, with that header), checks every line,
     * and keeps it for {@code model}; nothing is kept when a line is wrong.
     *
     * @return the number of labels kept
     */
    int add(String model, Path csv) {
        return keep(model, parse(csv));
    }

    /** Keeps checked {@code rows} ({@code request_id, row, label} as text) for {@code model} as one import file. */
    int keep(String model, List<String[]> rows) {
        if (rows.isEmpty()) {
            return 0;
        }
        Path target = dir.resolve(model);
        try {
            Files.createDirectories(target);
            Path tmp = Files.createTempFile(target, "labels-", ".tmp");
            StringBuilder b = new StringBuilder("request_id,row,label\n");
            for (String[] r : rows) {
                b.append(r[0]).append(',').append(r[1]).append(',').append(r[2]).append('\n');
            }
            Files.writeString(tmp, b, StandardCharsets.UTF_8);
            Files.move(tmp, target.resolve("labels-" + System.currentTimeMillis() + "-" + tmp.getFileName().toString()
                    .replace("labels-", "").replace(".tmp", "") + ".csv"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "cannot keep the labels of model '" + model + "' in " + target + ": "
                    + e.getMessage(), e);
        }
        return rows.size();
    }

    /** The folder that holds {@code model}'s labels (and what label tables remember of their reads). */
    Path folder(String model) {
        return dir.resolve(model);
    }

    /** Every label of {@code model}, later imports winning. */
    Map<Key, Double> read(String model) {
        Path folder = dir.resolve(model);
        Map<Key, Double> out = new HashMap<>();
        if (!Files.isDirectory(folder)) {
            return out;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList()) {
                for (String[] r : parse(f)) {
                    out.put(new Key(r[0], Integer.parseInt(r[1])), Double.parseDouble(r[2]));
                }
            }
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "cannot read the labels in " + folder + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static List<String[]> parse(Path csv) {
        List<String[]> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null || header.isBlank()) {
                throw FlywheelException.invalid("labels file " + csv + " is empty; it needs a header 'request_id,label' (or"
                        + " 'request_id,row,label') and one line per labelled request");
            }
            List<String> names = List.of(strip(header).split(",", -1)).stream().map(GroundTruth::strip).toList();
            int id = names.indexOf("request_id");
            int label = names.indexOf("label");
            int row = names.indexOf("row");
            if (id < 0 || label < 0) {
                throw FlywheelException.invalid("labels file " + csv + " has columns " + names + "; it needs 'request_id' and"
                        + " 'label' (and optionally 'row' for requests of several rows)");
            }
            String line;
            int n = 1;
            while ((line = in.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (cells.length != names.size()) {
                    throw FlywheelException.invalid(csv + " line " + n + ": " + cells.length + " values for " + names.size() + " columns");
                }
                String requestId = strip(cells[id]);
                if (requestId.isEmpty() || requestId.length() > 128) {
                    throw FlywheelException.invalid(csv + " line " + n + ": request_id must be 1 to 128 characters");
                }
                String rowText = row < 0 ? "0" : strip(cells[row]);
                int rowIndex;
                try {
                    rowIndex = Integer.parseInt(rowText);
                } catch (NumberFormatException e) {
                    rowIndex = -1;
                }
                if (rowIndex < 0) {
                    throw FlywheelException.invalid(csv + " line " + n + ": row '" + rowText + "' is not a row number (0 is the first)");
                }
                double value;
                try {
                    value = Double.parseDouble(strip(cells[label]));
                } catch (NumberFormatException e) {
                    value = Double.NaN;
                }
                if (!Double.isFinite(value)) {
                    throw FlywheelException.invalid(csv + " line " + n + ": label '" + strip(cells[label]) + "' is not a finite number");
                }
                out.add(new String[]{requestId, Integer.toString(rowIndex), Double.toString(value)});
            }
        } catch (NoSuchFileException e) {
            throw FlywheelException.notFound("labels file " + csv.toAbsolutePath() + " does not exist; check the path");
        } catch (IOException e) {
            throw FlywheelException.invalid("labels file " + csv + " cannot be read: " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw FlywheelException.invalid("labels file " + csv + " has a header but no labels");
        }
        return out;
    }

    private static String strip(String s) {
        String t = s.strip();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }
}
