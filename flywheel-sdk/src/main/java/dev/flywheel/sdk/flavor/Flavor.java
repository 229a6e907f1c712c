package dev.flywheel.sdk.flavor;

/**
 * A flavor of a component: its kind, its name, the record its settings are read into, and the factory that builds
 * the component. Flywheel finds flavors with {@link java.util.ServiceLoader}: a jar that lists its flavor classes in
 * {@code META-INF/services/dev.flywheel.sdk.flavor.Flavor} and is on the classpath ({@code --classpath} or
 * {@code FLYWHEEL_CLASSPATH}) adds them, without any change to Flywheel. The embedded flavors ({@code local},
 * {@code sqlite}, ...) are found the same way.
 *
 * <p>Rules for implementations: a public no-argument constructor; the constructor and the methods other than
 * {@link #create} are cheap and touch no heavy classes (every command discovers every flavor); {@link #create} may
 * be called from any thread, once per component per process. The settings record's compact constructor validates
 * values (throwing {@link dev.flywheel.sdk.FlywheelException} or {@link IllegalArgumentException} with what is wrong);
 * its components are described with {@link Setting}. Settings are checked when a component is registered, and again
 * when it is built.
 *
 * @param <S> the settings record
 * @param <T> the component interface of the kind ({@code ArtifactStore} for {@link ComponentKind#ARTIFACT_STORE})
 */
public interface Flavor<S extends Record, T> {

    ComponentKind kind();

    /** The name users give with {@code --flavor}: lower case letters, digits and '-'. */
    String name();

    /** One line for {@code flywheel flavors list}. */
    String description();

    /** The record settings are read into; its component types must be ones {@link FlavorSettings} can read. */
    Class<S> settingsType();

    /**
     * Builds the component. Secret references in the settings are already resolved.
     *
     * @param settings the checked settings
     * @param context  what the project offers the component (its folder, clock, other components)
     */
    T create(S settings, FlavorContext context);
}
