package dev.flywheel.sdk.flavor;

/**
 * One setting of a flavor as {@code flywheel flavors list} shows it.
 *
 * @param name         the key given with {@code -s name=value}
 * @param type         what values it takes ({@code integer}, {@code boolean}, {@code duration}, {@code one of: a, b})
 * @param defaultValue the value when none is given, or null
 * @param required     whether it must be given
 * @param secret       whether it must be a secret reference
 * @param description  what it does
 */
public record SettingInfo(String name, String type, String defaultValue, boolean required, boolean secret, String description) {
}
