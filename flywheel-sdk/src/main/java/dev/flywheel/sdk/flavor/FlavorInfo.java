package dev.flywheel.sdk.flavor;

import java.util.List;

/**
 * A discovered flavor as {@code flywheel flavors list} shows it.
 *
 * @param kind        the component kind, as users type it ({@code artifact-store})
 * @param source      where the flavor class was loaded from (a jar or folder), or {@code built-in}
 * @param problem     why the flavor cannot be used (its settings record has a type Flywheel cannot read), or null
 */
public record FlavorInfo(String kind, String name, String description, String source, List<SettingInfo> settings, String problem) {
    public FlavorInfo {
        settings = List.copyOf(settings);
    }
}
