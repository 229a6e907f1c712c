package dev.flywheel.monitor.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.flywheel.monitor.CategoricalProfile;
import dev.flywheel.monitor.ColumnProfile;
import dev.flywheel.monitor.NumericProfile;
import dev.flywheel.monitor.ReferenceProfile;
import dev.flywheel.sdk.FlywheelException;

import java.util.Arrays;
import java.util.List;

/**
 * The JSON form of a {@link ReferenceProfile}: written from the records, read back with the format version checked
 * first and the counts checked after, so a damaged or foreign file is refused with a reason rather than giving wrong
 * drift numbers later.
 */
public final class ProfileJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .build();

    private ProfileJson() {
    }

    public static String write(ReferenceProfile profile) {
        try {
            return MAPPER.writeValueAsString(profile);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write reference profile as JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static ReferenceProfile read(String json) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw FlywheelException.invalid("reference profile is not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode version = tree == null ? null : tree.get("format_version");
        if (version == null || !version.canConvertToInt()) {
            throw FlywheelException.invalid("this is not a reference profile: it has no format_version");
        }
        if (version.asInt() > ReferenceProfile.FORMAT_VERSION || version.asInt() < 1) {
            throw FlywheelException.invalid("reference profile has format version " + version.asInt() + "; this"
                    + " Flywheel reads versions 1 to " + ReferenceProfile.FORMAT_VERSION + " (upgrade Flywheel to read it)");
        }
        ReferenceProfile profile;
        try {
            profile = MAPPER.treeToValue(tree, ReferenceProfile.class);
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof FlywheelException fe) {
                throw fe;
            }
            throw FlywheelException.invalid("reference profile is malformed: " + e.getOriginalMessage());
        }
        for (ColumnProfile column : profile.columns()) {
            check(profile, column);
        }
        return profile;
    }

    private static boolean ascending(List<NumericProfile.ValueCount> values) {
        for (int i = 1; i < values.size(); i++) {
            if (!(values.get(i - 1).value() < values.get(i).value())) {
                return false;
            }
        }
        return true;
    }

    private static void check(ReferenceProfile profile, ColumnProfile column) {
        String where = "reference profile column '" + column.name() + "' is inconsistent: ";
        if (column.count() < 0 || column.missing() < 0 || column.count() + column.missing() != profile.rows()) {
            throw FlywheelException.invalid(where + column.count() + " values + " + column.missing()
                    + " missing != " + profile.rows() + " rows");
        }
        long sampleLimit = Math.min(column.count(), profile.options().sampleSize());
        switch (column) {
            case NumericProfile p -> {
                if (p.sample().length > sampleLimit || Arrays.stream(p.sample()).anyMatch(v -> !Double.isFinite(v))) {
                    throw FlywheelException.invalid(where + "its sample has " + p.sample().length
                            + " values (at most " + sampleLimit + ", all finite)");
                }
                if (p.count() > 0 && (p.std() == null || p.histogram() == null
                        || Arrays.stream(p.histogram().counts()).sum() != p.count()
                        || p.histogram().edges().length != p.histogram().counts().length + 1)) {
                    throw FlywheelException.invalid(where + "its histogram does not hold its " + p.count() + " values");
                }
                if (p.values() != null && (p.values().stream().mapToLong(NumericProfile.ValueCount::count).sum()
                        != p.count() || !ascending(p.values()))) {
                    throw FlywheelException.invalid(where + "its value counts do not add up to " + p.count()
                            + " or its values are not distinct and ascending");
                }
            }
            case CategoricalProfile p -> {
                long listed = p.categories().stream().mapToLong(CategoricalProfile.CategoryCount::count).sum();
                long names = p.categories().stream().map(CategoricalProfile.CategoryCount::value).distinct().count();
                if (names != p.categories().size()) {
                    throw FlywheelException.invalid(where + "it lists a category twice");
                }
                if (listed + p.other() != p.count() || p.sample().size() > sampleLimit) {
                    throw FlywheelException.invalid(where + "categories hold " + listed + " + other " + p.other()
                            + " values, not " + p.count() + " (or the sample is larger than " + sampleLimit + ")");
                }
            }
        }
    }
}
