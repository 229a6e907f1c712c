package dev.flywheel.sdk.flavor;

import dev.flywheel.sdk.FlywheelException;

import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The flavors on a class path, found with {@link ServiceLoader}. A flavor that cannot be loaded, or whose settings
 * record Flywheel cannot read, does not stop the others: it is listed with its problem and refused when used. When
 * two jars provide the same kind and name, the first on the class path wins (so a plug-in cannot replace a built-in
 * flavor) and the other is listed as a problem. Immutable and thread-safe.
 */
public final class Flavors {
    private final List<Found> found;
    private final List<String> problems;

    private record Found(Flavor<?, ?> flavor, FlavorInfo info) {
    }

    private Flavors(List<Found> found, List<String> problems) {
        this.found = List.copyOf(found);
        this.problems = List.copyOf(problems);
    }

    /** Every flavor {@code loader} can see. */
    public static Flavors discover(ClassLoader loader) {
        List<Flavor<?, ?>> flavors = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        @SuppressWarnings("rawtypes")
        Iterator<Flavor> it = ServiceLoader.load(Flavor.class, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                flavors.add(it.next());
            } catch (ServiceConfigurationError e) {
                problems.add("a flavor could not be loaded: " + e.getMessage());
            }
        }
        return build(flavors, problems);
    }

    /** Exactly these flavors (tests, embedding). */
    public static Flavors of(List<? extends Flavor<?, ?>> flavors) {
        return build(new ArrayList<>(flavors), new ArrayList<>());
    }

    private static Flavors build(List<Flavor<?, ?>> flavors, List<String> problems) {
        List<Found> found = new ArrayList<>();
        for (Flavor<?, ?> f : flavors) {
            FlavorInfo info;
            try {
                info = info(f);
            } catch (RuntimeException e) {
                problems.add("flavor class " + f.getClass().getName() + " from " + source(f) + " is broken: " + e);
                continue;
            }
            Optional<Found> same = found.stream().filter(x -> x.flavor().kind() == f.kind() && x.flavor().name().equals(f.name())).findFirst();
            if (same.isPresent()) {
                problems.add(info.kind() + " flavor '" + info.name() + "' is provided twice: by " + same.get().info().source() + " (used) and by "
                        + info.source() + " (ignored)");
                continue;
            }
            found.add(new Found(f, info));
        }
        found.sort(Comparator.comparing((Found x) -> x.flavor().kind()).thenComparing(x -> x.flavor().name()));
        return new Flavors(found, problems);
    }

    private static FlavorInfo info(Flavor<?, ?> f) {
        String name = f.name();
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]{0,63}")) {
            throw new IllegalStateException("flavor name '" + name + "' must be lower case letters, digits and '-'");
        }
        List<SettingInfo> settings;
        String problem = null;
        try {
            settings = FlavorSettings.describe(f.settingsType());
        } catch (IllegalStateException e) {
            settings = List.of();
            problem = e.getMessage();
        }
        return new FlavorInfo(f.kind().label(), name, f.description(), source(f), settings, problem);
    }

    private static String source(Flavor<?, ?> f) {
        CodeSource cs = f.getClass().getProtectionDomain().getCodeSource();
        URL location = cs == null ? null : cs.getLocation();
        if (location == null) {
            return "built-in";
        }
        String path = location.getPath();
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Every usable or broken flavor, by kind then name. */
    public List<FlavorInfo> list() {
        return found.stream().map(Found::info).toList();
    }

    public List<FlavorInfo> list(ComponentKind kind) {
        return found.stream().filter(x -> x.flavor().kind() == kind).map(Found::info).toList();
    }

    /** Flavors that could not be loaded or were provided twice; each a sentence. */
    public List<String> problems() {
        return problems;
    }

    public Optional<Flavor<?, ?>> find(ComponentKind kind, String name) {
        return found.stream().filter(x -> x.flavor().kind() == kind && x.flavor().name().equals(name)).findFirst().map(Found::flavor);
    }

    /**
     * The flavor of this kind and name.
     *
     * @throws FlywheelException INVALID_ARGUMENT naming the flavors available and how to add one; or when the flavor
     *                           is broken, why
     */
    public Flavor<?, ?> require(ComponentKind kind, String name) {
        Found f = found.stream().filter(x -> x.flavor().kind() == kind && x.flavor().name().equals(name)).findFirst()
                .orElseThrow(() -> FlywheelException.invalid("Unknown " + kind.label() + " flavor '" + name + "'; available: "
                        + list(kind).stream().map(FlavorInfo::name).toList() + ". A flavor from a plug-in jar needs the jar on"
                        + " the classpath (--classpath or FLYWHEEL_CLASSPATH); see: flywheel flavors list"));
        if (f.info().problem() != null) {
            throw FlywheelException.invalid(kind.label() + " flavor '" + name + "' from " + f.info().source() + " cannot be used: "
                    + f.info().problem());
        }
        return f.flavor();
    }

    /** The settings described for {@link FlavorInfo}, of a found flavor. */
    public FlavorInfo info(ComponentKind kind, String name) {
        require(kind, name);
        return found.stream().filter(x -> x.flavor().kind() == kind && x.flavor().name().equals(name)).findFirst().orElseThrow().info();
    }
}
