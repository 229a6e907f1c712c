package dev.flywheel.engine.validate;

import dev.flywheel.sdk.flavor.ComponentKind;
import dev.flywheel.sdk.flavor.Flavor;
import dev.flywheel.sdk.flavor.FlavorContext;
import dev.flywheel.sdk.flavor.Setting;
import dev.flywheel.sdk.validate.DataValidator;

/** The embedded data validator flavor {@code ranges}: schema, ranges and missing values. */
public final class RangesDataValidatorFlavor implements Flavor<RangesDataValidatorFlavor.Settings, DataValidator> {

    /** @param allowMissing accept empty cells */
    public record Settings(
            @Setting(description = "accept empty cells (else each is a problem, like a value out of range)", defaultValue = "false")
            boolean allowMissing) {
    }

    @Override
    public ComponentKind kind() {
        return ComponentKind.DATA_VALIDATOR;
    }

    @Override
    public String name() {
        return "ranges";
    }

    @Override
    public String description() {
        return "expected columns present and numeric, values in range, nothing missing";
    }

    @Override
    public Class<Settings> settingsType() {
        return Settings.class;
    }

    @Override
    public DataValidator create(Settings settings, FlavorContext context) {
        return new RangesDataValidator(settings.allowMissing());
    }
}
