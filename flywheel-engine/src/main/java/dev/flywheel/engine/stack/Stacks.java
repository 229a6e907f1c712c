package dev.flywheel.engine.stack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.flavor.ComponentKind;
import dev.flywheel.sdk.flavor.Flavor;
import dev.flywheel.sdk.flavor.FlavorInfo;
import dev.flywheel.sdk.flavor.FlavorSettings;
import dev.flywheel.sdk.flavor.Flavors;
import dev.flywheel.sdk.flavor.References;
import dev.flywheel.sdk.flavor.SettingInfo;
import dev.flywheel.store.metadata.MetadataStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Registered components and stacks, in the metadata store (the engine owns the tables {@code stack_components},
 * {@code stacks}, {@code stack_members}, {@code active_stack} and {@code project_components}). Settings are checked
 * against the flavor's settings record when registered, secret references included; a stack names a registered
 * component of every stack kind that has a built-in flavor. A {@code default} component of every such kind and a
 * {@code default} stack always exist. Thread-safe.
 */
public final class Stacks {
    public static final String DEFAULT = "default";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MetadataStore store;
    private final Flavors flavors;
    private final References.Resolver references;
    private final Clock clock;

    /**
     * @param references resolves {@code {{secret.NAME.KEY}}} in settings at registration, to check that the secret
     *                   exists and that the value it gives fits the setting
     */
    public Stacks(MetadataStore store, Flavors flavors, References.Resolver references, Clock clock) {
        this.store = store;
        this.flavors = flavors;
        this.references = references;
        this.clock = clock;
    }

    /**
     * Makes sure every kind with a built-in flavor has a {@code default} component, every stack a member of each such
     * kind (stacks registered before a kind existed get its {@code default}), the {@code default} stack exists and
     * one stack is active. Idempotent; writes only what is missing.
     */
    public void ensureDefault() {
        if (store.read(this::missing).isEmpty() || store.readOnly()) {
            return; // a read-only project is read as it is; nothing can be added to it
        }
        store.write(c -> {
            long now = clock.millis();
            for (Missing m : missing(c)) {
                switch (m) {
                    case Missing.Component x -> insertComponent(c, x.kind(), DEFAULT, x.kind().builtInFlavor(), "{}", now);
                    case Missing.DefaultStack x -> {
                        try (PreparedStatement ps = c.prepareStatement("INSERT INTO stacks (name, created_at) VALUES (?, ?)")) {
                            ps.setString(1, DEFAULT);
                            ps.setLong(2, now);
                            ps.executeUpdate();
                        }
                    }
                    case Missing.Member x -> insertMember(c, x.stack(), x.kind(), DEFAULT);
                    case Missing.ProjectComponent x -> setProject(c, x.kind(), DEFAULT);
                    case Missing.Active x -> {
                        try (PreparedStatement ps = c.prepareStatement("INSERT INTO active_stack (id, stack) VALUES (1, ?)")) {
                            ps.setString(1, DEFAULT);
                            ps.executeUpdate();
                        }
                    }
                }
            }
            return null;
        });
    }

    private sealed interface Missing {
        record Component(ComponentKind kind) implements Missing {
        }

        record DefaultStack() implements Missing {
        }

        record Member(String stack, ComponentKind kind) implements Missing {
        }

        record ProjectComponent(ComponentKind kind) implements Missing {
        }

        record Active() implements Missing {
        }
    }

    /** What {@link #ensureDefault} would add, in the order it must be added. */
    private List<Missing> missing(Connection c) throws SQLException {
        Set<String> components = new HashSet<>(strings(c, "SELECT kind || '/' || name FROM stack_components"));
        List<String> stacks = strings(c, "SELECT name FROM stacks");
        Set<String> members = new HashSet<>(strings(c, "SELECT stack || '/' || kind FROM stack_members"));
        Set<String> project = new HashSet<>(strings(c, "SELECT kind FROM project_components"));
        List<Missing> out = new ArrayList<>();
        List<ComponentKind> defaults = new ArrayList<>();
        for (ComponentKind k : ComponentKind.values()) {
            if (k.builtInFlavor() != null && k != ComponentKind.METADATA_STORE && flavors.find(k, k.builtInFlavor()).isPresent()) {
                defaults.add(k);
                if (!components.contains(k.name() + "/" + DEFAULT)) {
                    out.add(new Missing.Component(k));
                }
            }
        }
        if (!stacks.contains(DEFAULT)) {
            out.add(new Missing.DefaultStack());
            stacks = new ArrayList<>(stacks);
            stacks.add(DEFAULT);
        }
        for (String s : stacks) {
            for (ComponentKind k : defaults) {
                if (k.scope() == ComponentKind.Scope.STACK && !members.contains(s + "/" + k.name())) {
                    out.add(new Missing.Member(s, k));
                }
            }
        }
        for (ComponentKind k : defaults) {
            if (k.scope() == ComponentKind.Scope.PROJECT && !project.contains(k.name())) {
                out.add(new Missing.ProjectComponent(k));
            }
        }
        if (strings(c, "SELECT stack FROM active_stack").isEmpty()) {
            out.add(new Missing.Active());
        }
        return out;
    }

    /**
     * Registers a component after checking its flavor exists and its settings fit the flavor's settings record
     * (unknown keys, types, required settings, secret references and the record's own checks).
     *
     * @throws FlywheelException INVALID_ARGUMENT for an unknown flavor or bad settings; CONFLICT when the name is taken
     */
    public StackComponent registerComponent(ComponentKind kind, String name, String flavor, Map<String, String> settings) {
        requireName(name, kind.label());
        Flavor<?, ?> f = flavors.require(kind, flavor);
        FlavorSettings.bind(f, settings, kind == ComponentKind.SECRETS_STORE
                ? References.Resolver.none("a secrets store's own settings cannot come from a secrets store") : references);
        String json = json(settings);
        long now = clock.millis();
        store.write(c -> {
            if (exists(c, "SELECT 1 FROM stack_components WHERE kind = ? AND name = ?", kind.name(), name)) {
                throw FlywheelException.conflict("A " + kind.label() + " named '" + name + "' already exists; pick another name or see: flywheel "
                        + kind.label() + " list");
            }
            insertComponent(c, kind, name, flavor, json, now);
            return null;
        });
        return component(kind, name);
    }

    /**
     * Registers a stack of existing components. A stack kind left out takes the {@code default} component; the step
     * operator is a member only when given.
     */
    public Stack registerStack(String name, Map<ComponentKind, String> components) {
        requireName(name, "stack");
        ensureDefault();
        Map<ComponentKind, String> members = new EnumMap<>(ComponentKind.class);
        for (Map.Entry<ComponentKind, String> e : components.entrySet()) {
            // A stack may keep its runs, models and services in a metadata store of its own (staging apart from production);
            // without one it uses the project's, named in .flywheel/project.properties.
            if (e.getKey().scope() == ComponentKind.Scope.PROJECT && e.getKey() != ComponentKind.METADATA_STORE) {
                throw FlywheelException.invalid("A stack has no " + e.getKey().label() + ": there is one per project"
                        + (e.getKey() == ComponentKind.SECRETS_STORE ? " (choose it with: flywheel secrets-store set NAME)"
                        : " (named in .flywheel/project.properties)"));
            }
        }
        for (ComponentKind kind : ComponentKind.values()) {
            String component = components.get(kind);
            if (component != null) {
                members.put(kind, component);
            } else if (kind.scope() == ComponentKind.Scope.STACK && kind.builtInFlavor() != null
                    && flavors.find(kind, kind.builtInFlavor()).isPresent()) {
                members.put(kind, DEFAULT);
            }
        }
        long now = clock.millis();
        store.write(c -> {
            if (exists(c, "SELECT 1 FROM stacks WHERE name = ?", name)) {
                throw FlywheelException.conflict("A stack named '" + name + "' already exists; see it with: flywheel stack describe " + name);
            }
            for (Map.Entry<ComponentKind, String> m : members.entrySet()) {
                if (!exists(c, "SELECT 1 FROM stack_components WHERE kind = ? AND name = ?", m.getKey().name(), m.getValue())) {
                    throw FlywheelException.notFound("Stack '" + name + "' names " + m.getKey().label() + " '" + m.getValue()
                            + "', which is not registered; register it first: flywheel " + m.getKey().label() + " register "
                            + m.getValue() + " --flavor FLAVOR");
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO stacks (name, created_at) VALUES (?, ?)")) {
                ps.setString(1, name);
                ps.setLong(2, now);
                ps.executeUpdate();
            }
            for (Map.Entry<ComponentKind, String> m : members.entrySet()) {
                insertMember(c, name, m.getKey(), m.getValue());
            }
            return null;
        });
        return describe(name);
    }

    public List<Stack> list() {
        ensureDefault();
        List<String> names = store.read(c -> strings(c, "SELECT name FROM stacks ORDER BY name"));
        return names.stream().map(this::describe).toList();
    }

    public Stack describe(String name) {
        ensureDefault();
        return store.read(c -> {
            if (!exists(c, "SELECT 1 FROM stacks WHERE name = ?", name)) {
                throw FlywheelException.notFound("No stack named '" + name + "'; list them with: flywheel stack list");
            }
            Map<ComponentKind, StackComponent> members = new EnumMap<>(ComponentKind.class);
            try (PreparedStatement ps = c.prepareStatement("SELECT kind, component FROM stack_members WHERE stack = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ComponentKind kind = ComponentKind.valueOf(rs.getString(1));
                        members.put(kind, component(c, kind, rs.getString(2)));
                    }
                }
            }
            String active = strings(c, "SELECT stack FROM active_stack").stream().findFirst().orElse(DEFAULT);
            return new Stack(name, members, name.equals(active));
        });
    }

    /**
     * The metadata store a stack keeps its runs and models in, when it has one of its own ({@code stack register NAME
     * --metadata-store DB}); empty when it uses the project's. Reads only, so a read-only project opens as before.
     *
     * @param nameOrNull the stack, or null for the active one
     * @throws FlywheelException NOT_FOUND for a named stack that does not exist
     */
    public java.util.Optional<StackComponent> ownMetadataStore(String nameOrNull) {
        return store.read(c -> {
            String name = nameOrNull != null ? nameOrNull
                    : strings(c, "SELECT stack FROM active_stack").stream().findFirst().orElse(DEFAULT);
            if (nameOrNull != null && !DEFAULT.equals(name) && !exists(c, "SELECT 1 FROM stacks WHERE name = ?", name)) {
                throw FlywheelException.notFound("No stack named '" + name + "'; list them with: flywheel stack list");
            }
            List<String> own = strings(c, "SELECT component FROM stack_members WHERE stack = ? AND kind = ?", name,
                    ComponentKind.METADATA_STORE.name());
            return own.isEmpty() ? java.util.Optional.<StackComponent>empty()
                    : java.util.Optional.of(component(c, ComponentKind.METADATA_STORE, own.getFirst()));
        });
    }

    /** The active stack, or {@code name} when given (as {@code flywheel run --stack NAME} does). */
    public Stack resolve(String name) {
        if (name != null) {
            return describe(name);
        }
        ensureDefault();
        String active = store.read(c -> strings(c, "SELECT stack FROM active_stack").stream().findFirst().orElse(DEFAULT));
        return describe(active);
    }

    public Stack setActive(String name) {
        describe(name);
        store.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM active_stack")) {
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO active_stack (id, stack) VALUES (1, ?)")) {
                ps.setString(1, name);
                ps.executeUpdate();
            }
            return null;
        });
        return describe(name);
    }

    /** The project's component of a project kind (the secrets store); {@code default} unless one was set. */
    public StackComponent projectComponent(ComponentKind kind) {
        requireProjectKind(kind);
        ensureDefault();
        return store.read(c -> {
            String name = strings(c, "SELECT component FROM project_components WHERE kind = ?", kind.name()).stream().findFirst().orElse(DEFAULT);
            return component(c, kind, name);
        });
    }

    /** Makes a registered component of a project kind the project's. */
    public StackComponent setProjectComponent(ComponentKind kind, String name) {
        requireProjectKind(kind);
        component(kind, name);
        store.write(c -> {
            setProject(c, kind, name);
            return null;
        });
        return projectComponent(kind);
    }

    private static void requireProjectKind(ComponentKind kind) {
        if (kind.scope() != ComponentKind.Scope.PROJECT || kind == ComponentKind.METADATA_STORE) {
            throw FlywheelException.invalid("A " + kind.label() + " is chosen per stack, not per project: flywheel stack register NAME "
                    + kind.flag() + " COMPONENT");
        }
    }

    private static void setProject(Connection c, ComponentKind kind, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO project_components (kind, component) VALUES (?, ?) "
                + "ON CONFLICT (kind) DO UPDATE SET component = excluded.component")) {
            ps.setString(1, kind.name());
            ps.setString(2, name);
            ps.executeUpdate();
        }
    }

    public List<StackComponent> components(ComponentKind kind) {
        ensureDefault();
        return store.read(c -> {
            List<StackComponent> out = new ArrayList<>();
            for (String n : strings(c, "SELECT name FROM stack_components WHERE kind = ? ORDER BY name", kind.name())) {
                out.add(component(c, kind, n));
            }
            return out;
        });
    }

    public StackComponent component(ComponentKind kind, String name) {
        return store.read(c -> component(c, kind, name));
    }

    public Flavors flavors() {
        return flavors;
    }

    /**
     * A component's settings as people may see them: a setting its flavor marks secret shows as {@code ****} unless it
     * is a reference (which names the secret, not its value); everything else as given.
     */
    public Map<String, String> displaySettings(StackComponent component) {
        Set<String> secret = new HashSet<>();
        flavors.find(component.kind(), component.flavor()).ifPresent(f -> {
            FlavorInfo info = flavors.list(component.kind()).stream().filter(i -> i.name().equals(f.name())).findFirst().orElseThrow();
            info.settings().stream().filter(SettingInfo::secret).forEach(s -> secret.add(s.name()));
        });
        Map<String, String> out = new TreeMap<>();
        component.settings().forEach((k, v) -> out.put(k, secret.contains(k) && !References.isSingleSecretReference(v) ? "****" : v));
        return out;
    }

    private static StackComponent component(Connection c, ComponentKind kind, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT flavor, settings_json, created_at FROM stack_components WHERE kind = ? AND name = ?")) {
            ps.setString(1, kind.name());
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw FlywheelException.notFound("No " + kind.label() + " named '" + name + "'; list them with: flywheel " + kind.label() + " list");
                }
                Map<String, Object> raw;
                try {
                    raw = JSON.readValue(rs.getString(2), new TypeReference<Map<String, Object>>() {
                    });
                } catch (JsonProcessingException e) {
                    throw new FlywheelException(ErrorCode.INTERNAL, "Settings of " + kind.label() + " '" + name + "' are not JSON: " + e.getOriginalMessage());
                }
                Map<String, String> settings = new LinkedHashMap<>();
                raw.forEach((k, v) -> settings.put(k, String.valueOf(v)));
                return new StackComponent(kind, name, rs.getString(1), settings, Instant.ofEpochMilli(rs.getLong(3)));
            }
        }
    }

    private static String json(Map<String, String> settings) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(settings));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }

    private static void insertComponent(Connection c, ComponentKind kind, String name, String flavor, String json, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO stack_components (kind, name, flavor, settings_json, created_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, kind.name());
            ps.setString(2, name);
            ps.setString(3, flavor);
            ps.setString(4, json);
            ps.setLong(5, now);
            ps.executeUpdate();
        }
    }

    private static void insertMember(Connection c, String stack, ComponentKind kind, String component) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO stack_members (stack, kind, component) VALUES (?, ?, ?)")) {
            ps.setString(1, stack);
            ps.setString(2, kind.name());
            ps.setString(3, component);
            ps.executeUpdate();
        }
    }

    private static void requireName(String name, String what) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            throw FlywheelException.invalid("Invalid " + what + " name '" + name + "': use letters, digits, '_', '.', '-' (at most 64)");
        }
    }

    private static boolean exists(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static List<String> strings(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }
}
