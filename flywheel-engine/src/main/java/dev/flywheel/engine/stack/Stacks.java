package dev.flywheel.engine.stack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.metadata.MetadataStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Registered stack components and stacks, in the metadata store. Settings are validated against the flavor's config
 * record when registered; a stack must name a registered component of every kind. A {@code default} stack of the
 * embedded flavors always exists. Thread-safe.
 */
public final class Stacks {
    public static final String DEFAULT = "default";
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Map<ComponentKind, String> DEFAULT_FLAVORS = Map.of(ComponentKind.ORCHESTRATOR, "local",
            ComponentKind.ARTIFACT_STORE, "local", ComponentKind.MODEL_DEPLOYER, "local", ComponentKind.METADATA_STORE, "sqlite");

    private final MetadataStore store;
    private final List<Flavor<?>> flavors;
    private final Clock clock;

    public Stacks(MetadataStore store, List<Flavor<?>> flavors, Clock clock) {
        this.store = store;
        this.flavors = List.copyOf(flavors);
        this.clock = clock;
    }

    /** Creates the {@code default} components and stack (and makes it active) unless they exist. Idempotent. */
    public void ensureDefault() {
        boolean exists = store.read(c -> exists(c, "SELECT 1 FROM stacks WHERE name = ?", DEFAULT));
        if (exists) {
            return;
        }
        store.write(c -> {
            if (exists(c, "SELECT 1 FROM stacks WHERE name = ?", DEFAULT)) {
                return null;
            }
            long now = clock.millis();
            for (ComponentKind kind : ComponentKind.values()) {
                String flavor = DEFAULT_FLAVORS.get(kind);
                if (flavor(kind, flavor).isPresent() && !exists(c, "SELECT 1 FROM stack_components WHERE kind = ? AND name = ?", kind.name(), DEFAULT)) {
                    insertComponent(c, kind, DEFAULT, flavor, "{}", now);
                }
            }
            insertStack(c, DEFAULT, now, presentKinds(c, DEFAULT));
            if (!exists(c, "SELECT 1 FROM active_stack")) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO active_stack (id, stack) VALUES (1, ?)")) {
                    ps.setString(1, DEFAULT);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    private static Map<ComponentKind, String> presentKinds(Connection c, String name) throws SQLException {
        Map<ComponentKind, String> m = new EnumMap<>(ComponentKind.class);
        for (ComponentKind k : ComponentKind.values()) {
            if (exists(c, "SELECT 1 FROM stack_components WHERE kind = ? AND name = ?", k.name(), name)) {
                m.put(k, name);
            }
        }
        return m;
    }

    /**
     * Registers a component after checking its flavor exists and its settings fit the flavor's config record.
     *
     * @throws FlywheelException INVALID_ARGUMENT for an unknown flavor or bad settings; CONFLICT when the name is taken
     */
    public StackComponent registerComponent(ComponentKind kind, String name, String flavor, Map<String, String> settings) {
        requireName(name, kind.label());
        Flavor<?> f = flavor(kind, flavor).orElseThrow(() -> FlywheelException.invalid("Unknown " + kind.label() + " flavor '" + flavor
                + "'; available: " + flavors.stream().filter(x -> x.kind() == kind).map(Flavor::name).toList()));
        Map<String, Object> typed = new LinkedHashMap<>(settings);
        String json = settingsJson(f, typed);
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

    /** Reads a component's settings into its flavor's config record. */
    public <C extends Record> C settings(StackComponent component, Class<C> type) {
        try {
            return JSON.convertValue(component.settings(), type);
        } catch (IllegalArgumentException e) {
            throw FlywheelException.invalid("Settings of " + component.kind().label() + " '" + component.name() + "' no longer fit flavor '"
                    + component.flavor() + "': " + e.getMessage());
        }
    }

    private String settingsJson(Flavor<?> f, Map<String, Object> settings) {
        try {
            JSON.convertValue(settings, f.configType());
            return JSON.writeValueAsString(settings);
        } catch (IllegalArgumentException e) {
            Throwable cause = e.getCause();
            String accepted = Arrays.stream(f.configType().getRecordComponents()).map(rc -> rc.getName()).collect(Collectors.joining(", "));
            if (cause instanceof UnrecognizedPropertyException u) {
                throw FlywheelException.invalid("Unknown setting '" + u.getPropertyName() + "' for " + f.kind().label() + " flavor '" + f.name()
                        + "'; accepted: " + (accepted.isEmpty() ? "none" : accepted));
            }
            Throwable root = cause instanceof JsonMappingException m && m.getCause() != null ? m.getCause() : cause;
            throw FlywheelException.invalid("Invalid settings for " + f.kind().label() + " flavor '" + f.name() + "': "
                    + (root instanceof FlywheelException fe ? fe.getMessage() : root == null ? e.getMessage() : originalMessage(root))
                    + "; accepted settings: " + accepted);
        } catch (JsonProcessingException e) {
            throw FlywheelException.invalid("Invalid settings: " + e.getOriginalMessage());
        }
    }

    private static String originalMessage(Throwable t) {
        return t instanceof JsonProcessingException j ? j.getOriginalMessage() : t.getMessage();
    }

    /** Registers a stack of existing components; a kind left out (null) takes the {@code default} component. */
    public Stack registerStack(String name, Map<ComponentKind, String> components) {
        requireName(name, "stack");
        Map<ComponentKind, String> members = new EnumMap<>(ComponentKind.class);
        for (ComponentKind kind : ComponentKind.values()) {
            String component = components.get(kind);
            members.put(kind, component == null ? DEFAULT : component);
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
            insertStack(c, name, now, members);
            return null;
        });
        return describe(name);
    }

    public List<Stack> list() {
        List<String> names = store.read(c -> strings(c, "SELECT name FROM stacks ORDER BY name"));
        return names.stream().map(this::describe).toList();
    }

    public Stack describe(String name) {
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

    /** The active stack, or {@code name} when given (as {@code flywheel run --stack NAME} does). */
    public Stack resolve(String name) {
        if (name != null) {
            return describe(name);
        }
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

    public List<StackComponent> components(ComponentKind kind) {
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

    public List<Flavor<?>> flavors() {
        return flavors;
    }

    private Optional<Flavor<?>> flavor(ComponentKind kind, String name) {
        return flavors.stream().filter(f -> f.kind() == kind && f.name().equals(name)).findFirst();
    }

    private static StackComponent component(Connection c, ComponentKind kind, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT flavor, settings_json, created_at FROM stack_components WHERE kind = ? AND name = ?")) {
            ps.setString(1, kind.name());
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw FlywheelException.notFound("No " + kind.label() + " named '" + name + "'; list them with: flywheel " + kind.label() + " list");
                }
                Map<String, Object> settings;
                try {
                    settings = JSON.readValue(rs.getString(2), new TypeReference<Map<String, Object>>() {
                    });
                } catch (JsonProcessingException e) {
                    throw new FlywheelException(ErrorCode.INTERNAL, "Settings of " + kind.label() + " '" + name + "' are not JSON: " + e.getOriginalMessage());
                }
                return new StackComponent(kind, name, rs.getString(1), settings, java.time.Instant.ofEpochMilli(rs.getLong(3)));
            }
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

    private static void insertStack(Connection c, String name, long now, Map<ComponentKind, String> members) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO stacks (name, created_at) VALUES (?, ?)")) {
            ps.setString(1, name);
            ps.setLong(2, now);
            ps.executeUpdate();
        }
        for (Map.Entry<ComponentKind, String> m : members.entrySet()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO stack_members (stack, kind, component) VALUES (?, ?, ?)")) {
                ps.setString(1, name);
                ps.setString(2, m.getKey().name());
                ps.setString(3, m.getValue());
                ps.executeUpdate();
            }
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
