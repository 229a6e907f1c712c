package dev.flywheel.monitor;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One column of a {@link ReferenceProfile}: a {@link NumericProfile} or a {@link CategoricalProfile} (the JSON
 * {@code kind} field says which).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = NumericProfile.class, name = "numeric"),
    @JsonSubTypes.Type(value = CategoricalProfile.class, name = "categorical")
})
public sealed interface ColumnProfile permits NumericProfile, CategoricalProfile {

    String name();

    /** The column's type in the table it was made from: {@code double}, {@code long} or {@code string}. */
    String type();

    /** Values present (not missing). */
    long count();

    /** Values missing: empty cells, NaN or infinities. */
    long missing();

    /** Distinct values present. */
    long distinct();

    @JsonIgnore
    default ColumnKind kind() {
        return this instanceof NumericProfile ? ColumnKind.NUMERIC : ColumnKind.CATEGORICAL;
    }

    /** {@code missing / (count + missing)}, 0 for an empty column. */
    @JsonProperty(value = "missing_share", access = JsonProperty.Access.READ_ONLY)
    default double missingShare() {
        long rows = count() + missing();
        return rows == 0 ? 0 : (double) missing() / rows;
    }
}
