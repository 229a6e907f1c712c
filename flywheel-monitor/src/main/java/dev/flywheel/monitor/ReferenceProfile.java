package dev.flywheel.monitor;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.flywheel.monitor.internal.ProfileJson;
import dev.flywheel.monitor.internal.TableProfiler;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.data.Table;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the monitor keeps of a model's training data: per column its type, counts, missing share, distinct values,
 * quantiles, histogram, category counts and a seeded sample of its values. Drift of live data is measured
 * against it ({@link DriftEngine#compare(ReferenceProfile, Table)}), so the training data itself need not be kept.
 *
 * <p>The JSON form ({@link #toJson()}) is stable: field names are snake_case, {@code format_version} says how to
 * read it, readers ignore fields they do not know (added later in the same format version) and refuse a newer
 * format version. Values round-trip exactly.
 *
 * @param formatVersion {@link #FORMAT_VERSION} for profiles written by this version
 * @param rows          rows in the table the profile was made from
 * @param options       how it was made
 * @param columns       one profile per column, in the table's order
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"format_version", "rows", "options", "columns"})
public record ReferenceProfile(int formatVersion, long rows, ProfileOptions options, List<ColumnProfile> columns) {
    /** The format version this code writes and the newest it reads. */
    public static final int FORMAT_VERSION = 1;

    public ReferenceProfile {
        columns = List.copyOf(columns);
        Set<String> seen = new HashSet<>();
        for (ColumnProfile c : columns) {
            if (!seen.add(c.name())) {
                throw FlywheelException.invalid("reference profile lists column '" + c.name() + "' twice");
            }
        }
    }

    /** The profile of {@code table} with {@link ProfileOptions#defaults()}. */
    public static ReferenceProfile of(Table table) {
        return of(table, ProfileOptions.defaults());
    }

    public static ReferenceProfile of(Table table, ProfileOptions options) {
        return TableProfiler.profile(table, options);
    }

    public List<String> columnNames() {
        return columns.stream().map(ColumnProfile::name).toList();
    }

    /** The column named {@code name}; an error listing the profile's columns if there is none. */
    public ColumnProfile column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> FlywheelException.invalid("no column '" + name + "' in the reference profile; its"
                        + " columns are " + columnNames()));
    }

    /** The stable JSON form (compact, UTF-8 safe). */
    public String toJson() {
        return ProfileJson.write(this);
    }

    /**
     * Reads {@link #toJson()}'s form back.
     *
     * @throws FlywheelException {@code INVALID_ARGUMENT} if the text is not a profile, is of a newer format version,
     *                           or contradicts itself (counts that do not add up)
     */
    public static ReferenceProfile fromJson(String json) {
        return ProfileJson.read(json);
    }
}
