package dev.flywheel.monitor;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * The profile of a categorical (string) column.
 *
 * @param name       column name
 * @param type       {@code string}
 * @param count      present values
 * @param missing    missing values (empty cells)
 * @param distinct   distinct present values
 * @param categories the most frequent categories with their counts, most frequent first (ties by value)
 * @param other      values in categories beyond the listed ones (0 unless the column had more than
 *                   {@link ProfileOptions#maxCategories()} categories)
 * @param sample     a seeded reservoir sample of the present values, in the order drawn
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CategoricalProfile(String name, String type, long count, long missing, long distinct,
                                 List<CategoryCount> categories, long other, List<String> sample)
        implements ColumnProfile {

    public CategoricalProfile {
        categories = List.copyOf(categories);
        sample = List.copyOf(sample);
    }

    /** A category and how many times it occurs. */
    public record CategoryCount(String value, long count) {
    }
}
