package dev.flywheel.store.materialize;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.spi.Materializer;
import dev.flywheel.sdk.internal.ValueType;
import dev.flywheel.store.materialize.internal.BytesMaterializer;
import dev.flywheel.store.materialize.internal.ContainerMaterializer;
import dev.flywheel.store.materialize.internal.JsonMaterializer;
import dev.flywheel.store.materialize.internal.ModelMaterializer;
import dev.flywheel.store.materialize.internal.PrimitiveArrayMaterializer;
import dev.flywheel.store.materialize.internal.ScalarMaterializer;
import dev.flywheel.store.materialize.internal.TableMaterializer;
import dev.flywheel.store.materialize.internal.TextMaterializer;

import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the materializer for a step output's type, or for a stored artifact's format. Immutable and thread-safe;
 * build one per {@code Flywheel} and share it.
 *
 * <p>Lookup by type picks the most specific match: a materializer for the exact class, else for the nearest
 * superclass or interface (breadth-first: the superclass and direct interfaces, then theirs). Between equally
 * specific ones a user materializer wins over a built-in one, and earlier users win over later ones. A type with
 * no match is stored as {@code json} if it is a record, an enum or a POJO with a no-argument constructor.
 *
 * <pre>{@code
 * Materializers materializers = Materializers.standard(getClass().getClassLoader());
 * Materializer<? super Table> m = materializers.forType(Table.class);   // format "table-v1"
 * m.write(table, out);
 * }</pre>
 *
 * <p>Built-in formats: {@code text} (String), {@code json-scalar} (Integer, Long, Double, Float, Boolean, Short,
 * Byte, Character), {@code bytes} (byte[]), {@code array-v1} (double[], float[], long[], int[], boolean[], short[],
 * char[]), {@code table-v1} (Table), {@code model-v1} (Model), {@code json}; and for containers declared with their
 * element types ({@link ValueType.Container}) {@code list-v1}, {@code set-v1}, {@code map-v1}, {@code optional-v1},
 * which write each element with the element type's materializer.
 *
 * <p>Reading always goes by the artifact's recorded format <em>and</em> type ({@link #forArtifact(String, ValueType)}):
 * several types share a format ({@code json-scalar}, {@code array-v1}), so the format alone is not enough.
 */
public final class Materializers {
    private static final String SERVICE_FILE = "META-INF/services/" + Materializer.class.getName();

    private final List<Materializer<?>> byPriority;
    private final JsonMaterializer json = new JsonMaterializer();
    private final Map<Class<?>, Materializer<?>> cache = new ConcurrentHashMap<>();
    private final Map<ValueType, Materializer<?>> containers = new ConcurrentHashMap<>();

    private Materializers(List<? extends Materializer<?>> user) {
        List<Materializer<?>> all = new ArrayList<>();
        for (Materializer<?> m : user) {
            all.add(checked(m));
        }
        all.addAll(builtIns());
        this.byPriority = List.copyOf(all);
    }

    /** The built-in materializers plus {@code user} ones, which win over built-ins of the same specificity. */
    public static Materializers of(List<? extends Materializer<?>> user) {
        return new Materializers(user);
    }

    /** The built-in materializers only. */
    public static Materializers builtInOnly() {
        return new Materializers(List.of());
    }

    /** User materializers found by {@link ServiceLoader} with the thread's context class loader, plus built-ins. */
    public static Materializers standard() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return standard(loader != null ? loader : Materializers.class.getClassLoader());
    }

    /**
     * User materializers listed in {@code META-INF/services/dev.flywheel.sdk.spi.Materializer} files visible to
     * {@code loader}, plus built-ins.
     *
     * @throws FlywheelException {@code INVALID_ARGUMENT} if a listed class cannot be loaded or built
     */
    public static Materializers standard(ClassLoader loader) {
        List<Materializer<?>> user = new ArrayList<>();
        try {
            for (Materializer<?> m : ServiceLoader.load(Materializer.class, loader)) {
                user.add(m);
            }
        } catch (ServiceConfigurationError e) {
            throw new FlywheelException(ErrorCode.INVALID_ARGUMENT, "a materializer listed in " + SERVICE_FILE
                    + " cannot be used: " + e.getMessage() + "; it needs a public no-argument constructor", e);
        }
        return new Materializers(user);
    }

    private static List<Materializer<?>> builtIns() {
        List<Materializer<?>> out = new ArrayList<>();
        out.add(new TextMaterializer());
        out.addAll(ScalarMaterializer.all());
        out.add(new BytesMaterializer());
        out.addAll(PrimitiveArrayMaterializer.all());
        out.add(new TableMaterializer());
        out.add(new ModelMaterializer());
        return out;
    }

    private static Materializer<?> checked(Materializer<?> m) {
        Objects.requireNonNull(m, "materializer");
        String name = m.getClass().getName();
        if (m.type() == null) {
            throw FlywheelException.invalid("materializer " + name + " returns null from type(); return the class it handles");
        }
        if (m.format() == null || m.format().isBlank()) {
            throw FlywheelException.invalid("materializer " + name + " has no format(); return a short stable name such as 'parquet'");
        }
        return m;
    }

    /** Every materializer, users' first, then built-ins; the {@code json} fallback last. */
    public List<Materializer<?>> all() {
        List<Materializer<?>> out = new ArrayList<>(byPriority);
        out.add(json);
        return out;
    }

    /**
     * The materializer to write a value of {@code type}: see the class comment for the order. Primitive classes
     * ({@code int.class}) are looked up as their boxes.
     *
     * @throws FlywheelException {@code INVALID_ARGUMENT} naming the type and how to register a materializer
     */
    @SuppressWarnings("unchecked")
    public <T> Materializer<? super T> forType(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return (Materializer<? super T>) cache.computeIfAbsent(type, this::find);
    }

    private Materializer<?> find(Class<?> requested) {
        Class<?> type = requested.isPrimitive() ? box(requested) : requested;
        Set<Class<?>> level = new LinkedHashSet<>(List.of(type));
        Set<Class<?>> seen = new LinkedHashSet<>();
        while (!level.isEmpty()) {
            for (Materializer<?> m : byPriority) {
                if (level.contains(m.type())) {
                    return m;
                }
            }
            seen.addAll(level);
            Set<Class<?>> next = new LinkedHashSet<>();
            for (Class<?> c : level) {
                if (c.getSuperclass() != null && c.getSuperclass() != Object.class) {
                    next.add(c.getSuperclass());
                }
                next.addAll(List.of(c.getInterfaces()));
            }
            next.removeAll(seen);
            level = next;
        }
        for (Materializer<?> m : byPriority) {
            if (m.type() == Object.class) {
                return m; // a user's catch-all beats the json fallback
            }
        }
        if (jsonFriendly(type)) {
            return json;
        }
        String hint = Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type)
                ? " A collection's elements are stored by their declared type: declare the step's output as List<X>, Set<X>,"
                + " Map<String, X> or Optional<X> (not Object or Collection), or"
                : " Return a record (stored as JSON), or";
        throw new FlywheelException(ErrorCode.INVALID_ARGUMENT, "no materializer for type " + type.getName() + "."
                + hint + " register a Materializer<" + type.getSimpleName() + ">: implement "
                + Materializer.class.getName() + " and list its class name in " + SERVICE_FILE);
    }

    /**
     * The materializer to write a value of the stored type {@code type}: for a plain class as {@link #forType}, for
     * a container the container form over its element type's materializer.
     *
     * @throws FlywheelException {@code INVALID_ARGUMENT} naming the type (or element type) that has no materializer
     */
    public Materializer<?> forValueType(ValueType type) {
        return switch (type) {
            case ValueType.Plain p -> forType(p.raw());
            case ValueType.Container c -> {
                Materializer<?> known = containers.get(c);
                if (known != null) {
                    yield known;
                }
                // the element's materializer first: computeIfAbsent must not nest on one map (nested containers)
                Materializer<?> elements = forValueType(c.element());
                yield containers.computeIfAbsent(c, k -> new ContainerMaterializer(c, elements, this::forArtifact));
            }
        };
    }

    /** Records, enums and concrete non-JDK classes with a no-argument constructor round-trip through JSON. */
    private static boolean jsonFriendly(Class<?> type) {
        if (type.isRecord() || type.isEnum()) {
            return true;
        }
        if (type.isInterface() || type.isArray() || type.isPrimitive() || Modifier.isAbstract(type.getModifiers())) {
            return false;
        }
        String name = type.getName();
        if (name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.") || name.startsWith("sun.")) {
            return false;
        }
        if (type.isMemberClass() && !Modifier.isStatic(type.getModifiers())) {
            return false; // an inner class needs its outer instance to be built
        }
        try {
            type.getDeclaredConstructor();
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /**
     * The materializer to read an artifact recorded with {@code format} and stored type {@code type}: for containers
     * the container form of that kind (its elements are read in the format its header records), else as
     * {@link #forArtifact(String, Class)}.
     *
     * @throws FlywheelException {@code NOT_FOUND} if no materializer reads that format as that type
     */
    public Materializer<?> forArtifact(String format, ValueType type) {
        Objects.requireNonNull(format, "format");
        Optional<ValueType.Kind> kind = ContainerMaterializer.kindOf(format);
        if (kind.isPresent()) {
            if (!(type instanceof ValueType.Container c) || c.kind() != kind.get()) {
                throw new FlywheelException(ErrorCode.NOT_FOUND, "an artifact in format '" + format + "' holds a "
                        + kind.get().name().toLowerCase(java.util.Locale.ROOT) + ", but its recorded type is " + type.name());
            }
            return forValueType(c);
        }
        return forArtifact(format, type.raw());
    }

    /**
     * The materializer to read an artifact stored with {@code format} as {@code type}: among those with that format,
     * the most specific one that handles {@code type}.
     *
     * @throws FlywheelException {@code NOT_FOUND} if no materializer of that format handles the type
     */
    @SuppressWarnings("unchecked")
    public <T> Materializer<? super T> forArtifact(String format, Class<T> type) {
        Objects.requireNonNull(format, "format");
        Class<?> boxed = type.isPrimitive() ? box(type) : type;
        Materializer<?> best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Materializer<?> m : all()) {
            if (m.format().equals(format) && m.type().isAssignableFrom(boxed)) {
                int d = distance(boxed, m.type());
                if (d < bestDistance) {
                    best = m;
                    bestDistance = d;
                }
            }
        }
        if (best == null) {
            throw unknownFormat(format, type);
        }
        return (Materializer<? super T>) best;
    }

    private FlywheelException unknownFormat(String format, Class<?> type) {
        Set<String> known = new LinkedHashSet<>();
        all().forEach(m -> known.add(m.format()));
        return new FlywheelException(ErrorCode.NOT_FOUND, "no materializer reads format '" + format + "'"
                + (type == null ? "" : " as " + type.getName()) + "; known formats are " + known
                + ". If a user materializer wrote it, put that materializer on the class path and list it in "
                + SERVICE_FILE);
    }

    /** Breadth-first steps from {@code from} up to {@code to}; Object is farthest. */
    private static int distance(Class<?> from, Class<?> to) {
        if (to == Object.class) {
            return Integer.MAX_VALUE - 1;
        }
        Deque<Class<?>> queue = new ArrayDeque<>(List.of(from));
        Map<Class<?>, Integer> depth = new java.util.HashMap<>(Map.of(from, 0));
        while (!queue.isEmpty()) {
            Class<?> c = queue.poll();
            int d = depth.get(c);
            if (c == to) {
                return d;
            }
            List<Class<?>> parents = new ArrayList<>(List.of(c.getInterfaces()));
            if (c.getSuperclass() != null) {
                parents.add(0, c.getSuperclass());
            }
            for (Class<?> p : parents) {
                if (depth.putIfAbsent(p, d + 1) == null) {
                    queue.add(p);
                }
            }
        }
        return Integer.MAX_VALUE - 1;
    }

    private static Class<?> box(Class<?> primitive) {
        return switch (primitive.getName()) {
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "double" -> Double.class;
            case "float" -> Float.class;
            case "boolean" -> Boolean.class;
            case "short" -> Short.class;
            case "byte" -> Byte.class;
            case "char" -> Character.class;
            default -> Void.class;
        };
    }
}
